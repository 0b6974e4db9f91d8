"""Charts: valid, accessible, reproducible SVG that shows what the history holds."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from ceasefire.charts import provision_chart, render
from ceasefire.status import Point, ProvisionHistory, Series, Threshold

NS = "{http://www.w3.org/2000/svg}"
D = dt.date(2025, 1, 10)


def history(chart, series, thresholds=()):
    return ProvisionHistory(
        agreement="mini", provision="p", kind="flow", title="Trucks <daily>", unit="truck",
        as_of=dt.datetime(2025, 1, 20, tzinfo=dt.UTC),
        known_at=dt.datetime(2025, 1, 20, tzinfo=dt.UTC), chart=chart, series=list(series),
        thresholds=list(thresholds))


def daily(values):
    return Series(name="UN count", role="daily", step=False, points=[
        Point(day=D + dt.timedelta(days=i), value=v) for i, v in enumerate(values)])


def test_svg_parses_and_describes_itself():
    svg = provision_chart(history("daily", [daily([150, None, 0])],
                                  [Threshold(label="minimum", value=100, kind="minimum")]))
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Trucks <daily>"  # escaped, not markup
    desc = root.find(f"{NS}desc").text
    assert "UN count: 0 truck on 2025-01-12, from 150 on 2025-01-10" in desc
    assert "minimum: 100" in desc


def test_no_data_days_draw_no_bar_but_a_reported_zero_does():
    root = ET.fromstring(provision_chart(history("daily", [daily([150, None, 0])])))
    bars = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    labels = [r.find(f"{NS}title").text for r in bars]
    assert labels == ["UN count, 2025-01-10: 150", "UN count, 2025-01-12: 0"]
    assert float(bars[1].get("height")) > 0


def test_step_lines_hold_their_value():
    s = Series(name="delivered", role="delivered", step=True, points=[
        Point(day=D, value=2), Point(day=D + dt.timedelta(days=3), value=5)])
    svg = render([s], [], title="t", unit="body")
    path = ET.fromstring(svg).find(f"{NS}path").get("d")
    assert path.startswith("M") and " H" in path and " V" in path


def test_same_history_same_bytes():
    h = history("daily", [daily([150, None, 0])])
    assert provision_chart(h) == provision_chart(h.model_copy(deep=True))


def test_nothing_to_plot_says_so():
    svg = provision_chart(history("none", []))
    assert "No figures over time" in svg
    ET.fromstring(svg)
