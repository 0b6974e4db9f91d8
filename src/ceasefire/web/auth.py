"""Who a request is made as, CSRF tokens for forms, and the login rate limit.

A browser signs in with a password and carries a signed session cookie; a tool sends
``Authorization: Bearer <token>``. Tokens travel only in that header — never in a URL, where
access logs and proxies would keep them — and are looked up by digest.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ..users import PUBLIC, User
from .service import Forbidden, Service

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class Unauthorized(Forbidden):
    """No valid credentials (→ 401)."""


class RateLimited(Forbidden):
    """Too many failed logins (→ 429)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after} s",
                         where="password")
        self.retry_after = retry_after


async def service(request: Request) -> Service:
    return request.app.state.service  # type: ignore[no-any-return]


async def current_user(request: Request) -> User:
    """The bearer token's owner, else the signed-in user, else the anonymous public.

    Async, so the anonymous public (most readers) costs no trip through the thread pool;
    only a token or session lookup goes to the database, in a worker thread.
    """
    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    svc: Service = request.app.state.service
    header = request.headers.get("authorization", "")
    user: User | None = None
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("expected `Authorization: Bearer <token>`", where="authorization")
        user = await run_in_threadpool(svc.accounts.user_for_token, token.strip())
        if user is None:
            raise Unauthorized("unknown or revoked API token", where="authorization")
        request.state.via_token = True
    else:
        uid = request.session.get("uid")
        if isinstance(uid, int):
            user = await run_in_threadpool(svc.accounts.by_id, uid)
            if user is None:
                request.session.pop("uid", None)
    request.state.user = user or PUBLIC
    return request.state.user  # type: ignore[no-any-return]


def user_of(request: Request) -> User:
    """Who the request is made as, once :func:`current_user` has run (else the public)."""
    return getattr(request.state, "user", None) or PUBLIC


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use; every form carries it back."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    """A write from a browser must echo the session's CSRF token (form field or header).

    Requests made with an API token carry no cookie a third-party page could ride on, so
    they need none.
    """
    if getattr(request.state, "via_token", False):
        return
    expected = request.session.get("csrf")
    given = submitted or request.headers.get(CSRF_HEADER) or ""
    if not isinstance(expected, str) or not hmac.compare_digest(expected, given):
        raise Forbidden("missing or wrong CSRF token: reload the page and try again",
                        where=CSRF_FIELD)


class LoginLimiter:
    """At most ``limit`` failed sign-ins per ``window`` seconds, per client and per name.

    Counting per name stops one account being guessed from many addresses; per client
    stops one address trying many names.
    """

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit = limit
        self.window = window
        self._fails: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._fails[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def check(self, client: str, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"ip:{client}", f"name:{name.lower()}"):
                q = self._recent(key, now)
                if len(q) >= self.limit:
                    raise RateLimited(int(q[0] + self.window - now) + 1)

    def failed(self, client: str, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"ip:{client}", f"name:{name.lower()}"):
                self._recent(key, now).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._fails.pop(f"name:{name.lower()}", None)
