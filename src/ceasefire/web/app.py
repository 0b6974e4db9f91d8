"""The application factory: one ledger, its service, sessions, errors and security headers."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import CeasefireError
from ..ledger import Ledger, describe_error
from ..report import fmt_time, status_line
from ..users import PUBLIC, Role
from .auth import LoginLimiter, RateLimited, Unauthorized, csrf_token
from .service import FieldError, Forbidden, NotFound, Service, clean_field

HERE = Path(__file__).parent
SECRET_SETTING = "web:session-secret"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


def _secret(ledger: Ledger, given: str | None) -> str:
    """The session-signing key: given, from the environment, or made once and kept in the
    ledger's settings so sessions survive a restart and several workers agree."""
    key = given or os.environ.get("CEASEFIRE_SECRET_KEY") or ledger.setting(SECRET_SETTING)
    if not key:
        key = secrets.token_urlsafe(48)
        ledger.set_setting(SECRET_SETTING, key)
    return key


def _templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.filters["when"] = lambda v, tz=dt.UTC: fmt_time(v, tz)
    t.env.filters["status_line"] = status_line
    t.env.filters["slug"] = lambda s: str(s).replace(" ", "-")
    t.env.globals["csrf_token"] = csrf_token
    return t


class SecurityHeaders:
    """CSP and friends on every response (a plain ASGI middleware: no per-request task),
    and a ``Server-Timing`` header with the time the app took, so a load test can tell
    the server's time from its own queueing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("Server-Timing",
                               f"app;dur={(time.perf_counter() - started) * 1000:.2f}")
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _status_for(exc: CeasefireError, request: Request) -> int:
    if isinstance(exc, RateLimited):
        return 429
    if isinstance(exc, Unauthorized):
        return 401
    if isinstance(exc, Forbidden):
        user = getattr(request.state, "user", None)
        return 401 if user is not None and not user.authenticated and \
            exc.where != "csrf_token" else 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, FieldError):
        return 422
    return 400


def _error_page(request: Request, code: int, body: dict[str, Any],
                headers: dict[str, str]) -> Response:
    user = getattr(request.state, "user", None) or PUBLIC
    if request.headers.get("HX-Request") == "true" and code != 422:
        # An in-place (htmx) action refused outright — signed out, CSRF token expired, not
        # allowed: the message goes to the page's alert region instead of vanishing.
        # (422s are the forms' own: they re-render the form with the error beside it.)
        return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
            request, "_flash.html", {"code": code, "error": body}, status_code=code,
            headers={**headers, "HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request, "error.html", {"code": code, "error": body, "user": user, "Role": Role,
                                "json_url": None}, status_code=code, headers=headers)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def create_app(ledger: Ledger | str | None = None, *, secret_key: str | None = None,
               secure_cookies: bool = False, login_limit: int = 5,
               login_window: float = 300.0) -> FastAPI:
    """The web app over one ledger (an object, a database URL, or the default database).

    ``secure_cookies`` marks the session cookie HTTPS-only: set it behind a TLS proxy.
    """
    led = ledger if isinstance(ledger, Ledger) else Ledger(ledger)
    app = FastAPI(
        title="ceasefire",
        summary="Agreement status, the ledger and its sources, as JSON. Every page of the "
                "dashboard has a twin here.",
        version="1",
        docs_url="/api/docs", redoc_url=None, openapi_url="/openapi.json",
    )
    app.state.service = Service(led)
    app.state.templates = _templates()
    app.state.limiter = LoginLimiter(login_limit, login_window)
    app.add_middleware(SessionMiddleware, secret_key=_secret(led, secret_key),
                       session_cookie="ceasefire_session", same_site="strict",
                       https_only=secure_cookies, max_age=12 * 3600)

    app.add_middleware(SecurityHeaders)
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)

    @app.exception_handler(CeasefireError)
    async def _user_error(request: Request, exc: CeasefireError) -> Response:
        code = _status_for(exc, request)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else {}
        if code == 401 and wants_json(request):
            headers["WWW-Authenticate"] = "Bearer"
        body = {"detail": exc.message, "field": exc.where}
        if wants_json(request):
            return JSONResponse(body, status_code=code, headers=headers)
        return _error_page(request, code, body, headers)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": ["request"], "msg": "invalid"}
        loc = [x for x in first.get("loc", ()) if x not in ("body", "query", "path")]
        field, msg = describe_error({**first, "loc": loc}) if loc else ("request", first["msg"])
        field = clean_field(field)
        body = {"detail": f"{field}: {msg}", "field": field,
                "errors": [{"loc": list(e.get("loc", ())), "msg": e.get("msg")}
                           for e in errors]}
        if wants_json(request):
            return JSONResponse(body, status_code=422)
        return _error_page(request, 422, body, {})

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    from . import api, pages, remains, remains_forms, review

    app.include_router(api.router)
    app.include_router(remains.api)
    app.include_router(remains_forms.api)
    app.include_router(review.api)
    app.include_router(pages.router)
    app.include_router(remains.pages)
    app.include_router(remains_forms.pages)
    app.include_router(review.pages)

    @app.get("/favicon.ico", include_in_schema=False)
    def _favicon() -> Response:
        return Response(status_code=204)

    @app.get("/healthz", include_in_schema=False)
    def _health() -> HTMLResponse:
        return HTMLResponse("ok")

    return app


def app_from_env() -> FastAPI:
    """The app for `ceasefire serve` (each worker process builds its own): the database
    from ``CEASEFIRE_DATABASE_URL`` (or the default), HTTPS-only cookies when
    ``CEASEFIRE_SECURE_COOKIES`` is set."""
    return create_app(None, secure_cookies=bool(os.environ.get("CEASEFIRE_SECURE_COOKIES")))
