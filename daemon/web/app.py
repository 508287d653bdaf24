"""The desk's ASGI application: routes, middleware, templates. `build_app` wires it to a
register; `daemon.web.server` serves it on `[web] listen` beside the service's work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from daemon.archive import Archive
from daemon.config import Settings
from daemon.register import users
from daemon.register.db import session_factory
from daemon.register.users import Account
from daemon.web import auth, data, views
from daemon.web.pages import PageRenderer

HERE = Path(__file__).parent
COOKIE = "vanthu_session"
T = TypeVar("T")
Compute = Callable[[Session], T]


@dataclass
class Desk:
    """What every view needs: settings, the register, the archive, the page renderer."""

    settings: Settings
    sessions: sessionmaker[Session]
    archive: Archive
    renderer: PageRenderer
    templates: Environment
    # Pages that only read take no write lock: on SQLite every other transaction begins
    # IMMEDIATE, which queued each page behind ingestion's writes (and them behind it).
    reading: sessionmaker[Session]
    # Answers and rendered parts of pages, kept until the register changes (fragments.py).
    kept: data.UntilChanged = field(default_factory=lambda: data.UntilChanged(512))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.register.timezone)

    def today(self) -> dt.date:
        return dt.datetime.now(self.tz).date()

    def render(self, request: Request, name: str, code: int = 200, **context: object) -> Response:
        account = getattr(request.state, "account", None)
        html = self.templates.get_template(name).render(
            request=request,
            account=account,
            csrf=auth.csrf_token(request),
            local=self.local,
            **context,
        )
        return HTMLResponse(html, status_code=code)

    def local(self, value: dt.datetime | None, form: str = "%d/%m/%Y %H:%M") -> str:
        return value.astimezone(self.tz).strftime(form) if value else ""

    def visitor(self, name: str, stamp: str) -> tuple[Account | None, data.Mark]:
        """The session's account if it may still act, and the register's mark now (the key
        of what pages keep). Disabling an account or changing its password is audited, so
        the mark moves and the account is looked up again at once."""
        with self.reading() as session:
            mark = data.session_mark(session)
            found = self.kept.get_at(
                mark, ("account", name, stamp), lambda: users.active_account(session, name, stamp)
            )
            return found, mark

    async def shared(self, request: Request, key: tuple[object, ...], compute: Compute[T]) -> T:
        """What `compute` gives for `key`, kept until the register changes: at the mark the
        session gate read, no query and no thread at all; otherwise computed on the thread
        pool (in a read session of its own, under that session's mark)."""
        mark = getattr(request.state, "mark", None)
        if mark is not None:
            found = self.kept.peek(key, mark)
            if found is not data.MISSING:
                return cast(T, found)
        return await run_in_threadpool(self._compute, key, compute)

    def _compute(self, key: tuple[object, ...], compute: Compute[T]) -> T:
        with self.reading() as session:
            mark = data.session_mark(session)  # read before the answer it keys
            return self.kept.get_at(mark, key, lambda: compute(session))


def templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        auto_reload=False,  # compiled once: no stat of the template files on every page
        trim_blocks=True,
        lstrip_blocks=True,
    )


def build_app(settings: Settings, sessions: sessionmaker[Session]) -> Starlette:
    desk = Desk(
        settings=settings,
        sessions=sessions,
        archive=Archive(settings.paths.archive),
        renderer=PageRenderer(settings.web.page_cache),
        templates=templates(),
        reading=session_factory(sessions.kw["bind"], read_only=True),
    )
    web = settings.web

    async def error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return desk.render(request, "error.html", exc.status_code, message=exc.detail)

    app = Starlette(
        routes=[
            *views.routes(desk),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=auth.load_secret(web.secret_file),
                session_cookie=COOKIE,
                max_age=int(web.idle_minutes * 60),
                same_site="strict",
                https_only=web.secure_cookies,
            ),
            Middleware(auth.SessionGate, lookup=desk.visitor, idle_seconds=web.idle_minutes * 60),
        ],
        exception_handlers={HTTPException: error},
    )
    app.state.desk = desk
    return app


__all__ = ["build_app", "Desk", "Route"]
