"""Accounts, roles, clearance and API tokens: who may read and write what.

Several organisations write to one ledger and some of what it holds must not reach everyone
who can read the public picture, so every request is made *as someone*: a signed-in user, an
API token's owner, or the anonymous public (a viewer without clearance). Roles are ordered —
each includes the one before it — and clearance for restricted data is a separate flag,
because a verifier of truck counts need not see burial-site coordinates.

Passwords are stored as argon2id hashes and tokens as SHA-256 digests: neither can be read
back from the database, and a token is shown once, when it is made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import CeasefireError

#: Our own metadata: these tables come from migration ``web_0001``, not the core's ``0001``.
metadata = sa.MetaData()

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(80), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("cleared", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("revoked_at", sa.BigInteger, nullable=True),
    sa.Column("revoked_by", sa.String(80), nullable=True),
)

api_tokens = sa.Table(
    "api_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("label", sa.String(80), nullable=False),
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(12), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("revoked_at", sa.BigInteger, nullable=True),
)


class Role(StrEnum):
    VIEWER = "viewer"
    REPORTER = "reporter"
    VERIFIER = "verifier"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        """Each role includes the ones before it: an admin may verify, a verifier report."""
        order = list(Role)
        return order.index(self) >= order.index(needed)


#: What each role adds, for the README, the help text and error messages.
ROLE_MEANING = {
    Role.VIEWER: "reads the public picture",
    Role.REPORTER: "adds events and attaches sources (they land as reported)",
    Role.VERIFIER: "confirms, disputes and retracts entries",
    Role.ADMIN: "manages users and agreements",
}

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,79}$")
MIN_PASSWORD = 10
TOKEN_PREFIX = "cf_"


@dataclass(frozen=True)
class User:
    """Who a request is made as. ``name`` is what every write records."""

    name: str
    role: Role
    cleared: bool
    id: int | None = None
    revoked: bool = False

    def can(self, needed: Role) -> bool:
        return not self.revoked and self.role.allows(needed)

    @property
    def authenticated(self) -> bool:
        return self.id is not None


#: The anonymous public: reads the public picture, sees nothing restricted.
PUBLIC = User(name="public", role=Role.VIEWER, cleared=False)

_hasher = PasswordHasher()
#: Verified against when the user does not exist, so timing does not reveal which names do.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def _now_us() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp() * 1_000_000)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row: sa.Row) -> User:  # type: ignore[type-arg]
    return User(name=row.name, role=Role(row.role), cleared=bool(row.cleared), id=row.id,
                revoked=row.revoked_at is not None)


class Accounts:
    """Users and tokens on the ledger's database (the tables of migration ``web_0001``)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def add(self, name: str, password: str, role: Role | str, *, cleared: bool = False,
            by: str = "cli") -> User:
        if not NAME_RE.match(name or ""):
            raise CeasefireError("a user name is 1–80 letters, digits or . _ @ -, starting "
                                 f"with a letter or digit; got {name!r}", where="name")
        try:
            role = Role(role)
        except ValueError:
            raise CeasefireError(f"unknown role {role!r}; expected one of "
                                 f"{', '.join(r.value for r in Role)}", where="role") from None
        if len(password or "") < MIN_PASSWORD:
            raise CeasefireError(f"a password needs at least {MIN_PASSWORD} characters",
                                 where="password")
        with self.engine.begin() as conn:
            if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first():
                raise CeasefireError(f"a user named {name!r} already exists", where="name")
            key = conn.execute(users.insert().values(
                name=name, password_hash=_hasher.hash(password), role=role.value,
                cleared=cleared, created_at=_now_us(), created_by=by)).inserted_primary_key
            uid = int(key[0]) if key else None
        return User(name=name, role=role, cleared=cleared, id=uid)

    def list(self) -> list[tuple[User, dt.datetime, str]]:
        """Every account (revoked ones too) with when and by whom it was made."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(users).order_by(users.c.name)).all()
        return [(_user(r), dt.datetime.fromtimestamp(r.created_at / 1e6, dt.UTC), r.created_by)
                for r in rows]

    def get(self, name: str) -> User:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name)).first()
        if row is None:
            raise CeasefireError(f"no user named {name!r}", where="name")
        return _user(row)

    def revoke(self, name: str, *, by: str = "cli") -> User:
        """Withdraw an account and all its tokens; the row stays, so past writes keep a name."""
        user = self.get(name)
        now = _now_us()
        with self.engine.begin() as conn:
            conn.execute(users.update().where(users.c.id == user.id,
                                              users.c.revoked_at.is_(None))
                         .values(revoked_at=now, revoked_by=by))
            conn.execute(api_tokens.update().where(api_tokens.c.user_id == user.id,
                                                   api_tokens.c.revoked_at.is_(None))
                         .values(revoked_at=now))
        return self.get(name)

    def count_admins(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(users).where(
                users.c.role == Role.ADMIN.value, users.c.revoked_at.is_(None))).scalar_one())

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if the password is right and the account is active, else None."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name)).first()
        stored = row.password_hash if row is not None else _DUMMY_HASH
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or row.revoked_at is not None:
            return None
        return _user(row)

    def by_id(self, uid: int) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.id == uid)).first()
        return None if row is None or row.revoked_at is not None else _user(row)

    def create_token(self, name: str, label: str = "api") -> str:
        """A new API token for the user; returned once, stored only as its digest."""
        user = self.get(name)
        if user.revoked:
            raise CeasefireError(f"user {name!r} is revoked", where="name")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(api_tokens.insert().values(
                user_id=user.id, label=label[:80] or "api", digest=token_digest(token),
                prefix=token[:10], created_at=_now_us()))
        return token

    def user_for_token(self, token: str) -> User | None:
        q = (sa.select(users).join(api_tokens, api_tokens.c.user_id == users.c.id)
             .where(api_tokens.c.digest == token_digest(token),
                    api_tokens.c.revoked_at.is_(None), users.c.revoked_at.is_(None)))
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        return None if row is None else _user(row)


__all__ = ["PUBLIC", "ROLE_MEANING", "Accounts", "Role", "User", "api_tokens", "metadata",
           "token_digest", "users"]
