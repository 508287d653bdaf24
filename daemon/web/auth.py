"""Who is asking: sessions, roles and CSRF tokens for the desk.

The session lives in a signed cookie (Starlette's SessionMiddleware: itsdangerous, HttpOnly,
SameSite=Strict, Secure behind TLS). It carries the account name, the account's password stamp
(a password change or a disabled account ends every session at once), the time of the last
request (idle timeout) and a random CSRF token that every form posts back.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from daemon.register.users import Account

PUBLIC_PREFIXES = ("/login", "/static/", "/healthz", "/metrics")


def load_secret(path: Path) -> str:
    """The cookie-signing key: made once (0600) beside the database, kept across restarts."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = path.open("x", encoding="ascii")
        path.chmod(0o600)
        with fd:
            fd.write(secrets.token_hex(32))
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < 32:
        raise ValueError(f"{path}: the web secret is too short; delete it to make a new one")
    return secret


def start_session(request: Request, account: Account) -> None:
    request.session.clear()
    request.session.update(
        {
            "user": account.name,
            "stamp": account.stamp,
            "seen": int(time.time()),
            "csrf": secrets.token_urlsafe(32),
        }
    )


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:  # the login page: a token for the anonymous session
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


async def checked_form(request: Request) -> FormData:
    """The posted form, refused (403) unless it carries this session's CSRF token."""
    form = await request.form()
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "Biểu mẫu hết hạn hoặc không hợp lệ (CSRF): tải lại trang.")
    return form


def account(request: Request) -> Account:
    found: Account = request.state.account
    return found


def require_change(request: Request) -> Account:
    """The account, if it may change the register (clerk, admin); else 403."""
    who = account(request)
    if not who.can_change:
        raise HTTPException(403, "Tài khoản lãnh đạo chỉ được xem, không được sửa.")
    return who


def require_admin(request: Request) -> Account:
    who = account(request)
    if not who.is_admin:
        raise HTTPException(403, "Chỉ quản trị viên được quản lý tài khoản.")
    return who


# The account a session names, if it may still act (else None), and the register's change
# mark read with it: the key of what pages keep, so a view that finds its part kept needs
# no query of its own.
Lookup = Callable[[str, str], tuple[Account | None, object]]


class SessionGate:
    """ASGI middleware (inside SessionMiddleware): every path but the public ones needs a live
    session of an enabled account; it is put on `request.state.account`."""

    def __init__(self, app: Any, lookup: Lookup, idle_seconds: float) -> None:
        self.app = app
        self.lookup = lookup
        self.idle_seconds = idle_seconds

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        who, mark = await self._who(request)
        if who is None:
            await self._refuse(request)(scope, receive, send)
            return
        request.state.account, request.state.mark = who, mark
        request.session["seen"] = int(time.time())
        await self.app(scope, receive, send)

    async def _who(self, request: Request) -> tuple[Account | None, object]:
        session = request.session
        name, stamp, seen = session.get("user"), session.get("stamp"), session.get("seen")
        if not isinstance(name, str) or not isinstance(stamp, str) or not isinstance(seen, int):
            return None, None
        if time.time() - seen > self.idle_seconds:
            session.clear()
            return None, None
        return await run_in_threadpool(self.lookup, name, stamp)

    def _refuse(self, request: Request) -> Callable[[Any, Any, Any], Awaitable[None]]:
        if request.method == "GET":
            return RedirectResponse("/login", status_code=303)
        return Response("Cần đăng nhập.", status_code=401, media_type="text/plain")
