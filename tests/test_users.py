"""Accounts: argon2 hashes, roles, revocation, tokens, and `ceasefire users`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.errors import CeasefireError
from ceasefire.users import Accounts, Role, api_tokens, users
from tests.web.conftest import PASSWORD, _fast_hashing  # noqa: F401 (autouse fixture)

runner = CliRunner()


def test_passwords_are_hashed_with_argon2(ledger) -> None:
    acc = Accounts(ledger.engine)
    acc.add("ana", PASSWORD, "verifier", cleared=True, by="test")
    with ledger.engine.connect() as conn:
        stored = conn.execute(users.select()).one()
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    assert acc.authenticate("ana", PASSWORD).role is Role.VERIFIER
    assert acc.authenticate("ana", PASSWORD + "x") is None
    assert acc.authenticate("nobody", PASSWORD) is None


@pytest.mark.parametrize("name, password, role, field", [
    ("bad name", PASSWORD, "viewer", "name"),
    ("ok", "short", "viewer", "password"),
    ("ok", PASSWORD, "overlord", "role"),
])
def test_bad_accounts_refused(ledger, name, password, role, field) -> None:
    with pytest.raises(CeasefireError) as exc:
        Accounts(ledger.engine).add(name, password, role)
    assert exc.value.where == field
    assert Accounts(ledger.engine).list() == []


def test_roles_are_ordered() -> None:
    assert Role.ADMIN.allows(Role.VERIFIER) and Role.VERIFIER.allows(Role.REPORTER)
    assert not Role.REPORTER.allows(Role.VERIFIER) and not Role.VIEWER.allows(Role.REPORTER)


def test_tokens_stored_as_digests_and_revoked_with_the_user(ledger) -> None:
    acc = Accounts(ledger.engine)
    acc.add("bot", PASSWORD, "reporter")
    token = acc.create_token("bot", "importer")
    with ledger.engine.connect() as conn:
        row = conn.execute(api_tokens.select()).one()
    assert token not in (row.digest, row.prefix) and len(row.digest) == 64
    assert acc.user_for_token(token).name == "bot"
    acc.revoke("bot")
    assert acc.user_for_token(token) is None and acc.authenticate("bot", PASSWORD) is None
    with pytest.raises(CeasefireError):
        acc.create_token("bot")


def test_users_cli(db_url) -> None:
    env = {"CEASEFIRE_PASSWORD": PASSWORD}
    r = runner.invoke(app, ["users", "add", "root", "--role", "admin", "--cleared",
                            "--db", db_url], env=env)
    assert r.exit_code == 0, r.output
    assert "root (admin, cleared)" in r.stdout
    tok = runner.invoke(app, ["users", "token", "root", "--db", db_url])
    assert tok.exit_code == 0 and tok.stdout.strip().startswith("cf_")
    listed = runner.invoke(app, ["users", "list", "--db", db_url])
    assert "root" in listed.stdout and "admin" in listed.stdout and "active" in listed.stdout
    assert PASSWORD not in listed.stdout and tok.stdout.strip() not in listed.stdout
    assert runner.invoke(app, ["users", "revoke", "root", "--db", db_url]).exit_code == 0
    assert "revoked" in runner.invoke(app, ["users", "list", "--db", db_url]).stdout


def test_users_cli_errors_are_one_line(db_url) -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "ceasefire", "users", "add", "x", "--role",
                          "king", "--password", PASSWORD, "--db", db_url],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "role" in out.stderr and "Traceback" not in out.stderr
    out = subprocess.run([sys.executable, "-m", "ceasefire", "users", "revoke", "ghost",
                          "--db", db_url], capture_output=True, text=True)
    assert out.returncode == 2 and "ghost" in out.stderr
