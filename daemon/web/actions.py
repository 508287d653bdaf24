"""The desk's changes: correct, confirm, assign, close, deal with failures, send a delivery again
or resolve an uncertain one, manage accounts.
Each posts a form carrying its CSRF token, needs a clerk (or admin), and calls the same register
operation as the command line, with the logged-in account as the audit trail's actor."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from daemon.dispatch import deliveries
from daemon.errors import PermanentError
from daemon.register import corrections, follow, users
from daemon.web import auth

if TYPE_CHECKING:
    from daemon.web.app import Desk

ENTRY = "/entry/{book}/{year:int}/{seq:int}"


async def correct(desk: Desk, request: Request) -> Response:
    who, form = await _clerk_form(request)
    book, year, seq = _entry_key(request)
    changes: dict[str, str | list[str] | None] = {}
    for name, info in corrections.CORRECTABLE.items():
        if name in form:
            value = str(form.get(name) or "")
            changes[name] = value.splitlines() if info.kind == "list" else value

    def act(session: Session) -> None:
        if changes:
            corrections.correct(session, book, year, seq, changes, who.name)
        if form.get("action") == "confirm":
            corrections.confirm(session, book, year, seq, who.name)

    return await _do(desk, request, act, form)


async def confirm(desk: Desk, request: Request) -> Response:
    who, form = await _clerk_form(request)
    book, year, seq = _entry_key(request)
    return await _do(
        desk, request, lambda s: corrections.confirm(s, book, year, seq, who.name), form
    )


async def assign(desk: Desk, request: Request) -> Response:
    who, form = await _clerk_form(request)
    book, year, seq = _entry_key(request)
    unit, person = str(form.get("unit") or ""), str(form.get("person") or "").strip() or None

    def act(session: Session) -> None:
        found = follow.find_entry(session, year, seq, book=book)
        follow.assign(session, found, unit=unit, person=person, actor=who.name)

    return await _do(desk, request, act, form)


async def close(desk: Desk, request: Request) -> Response:
    who, form = await _clerk_form(request)
    book, year, seq = _entry_key(request)
    note = str(form.get("note") or "") or None

    def act(session: Session) -> None:
        found = follow.find_entry(session, year, seq, book=book)
        follow.close(session, found, note=note, actor=who.name)

    return await _do(desk, request, act, form)


async def handled(desk: Desk, request: Request) -> Response:
    who, form = await _clerk_form(request)
    job = int(request.path_params["job"])
    note = str(form.get("note") or "") or None
    return await _do(
        desk, request, lambda s: corrections.mark_handled(s, job, note, who.name), form
    )


async def requeue(desk: Desk, request: Request) -> Response:
    from daemon.commands.desk_cmds import requeue_failed

    who, form = await _clerk_form(request)
    job = int(request.path_params["job"])
    try:
        await run_in_threadpool(requeue_failed, desk.settings, job, who.name, desk.sessions)
    except PermanentError as exc:
        raise HTTPException(409, str(exc)) from exc
    return RedirectResponse(_next(form, "/failures"), status_code=303)


async def retry_delivery(desk: Desk, request: Request) -> Response:
    who, form = await _clerk_form(request)
    delivery_id = int(request.path_params["id"])
    return await _do_delivery(desk, lambda s: deliveries.resend(s, delivery_id, who.name), form)


async def resolve_delivery(desk: Desk, request: Request) -> Response:
    """The recipient was asked about an uncertain delivery: "1" it arrived, "0" it did not."""
    who, form = await _clerk_form(request)
    delivery_id = int(request.path_params["id"])
    answer = str(form.get("arrived") or "")
    if answer not in ("0", "1"):
        raise HTTPException(400, "Chọn Đã nhận hoặc Chưa nhận.")
    note = str(form.get("note") or "") or None
    return await _do_delivery(
        desk, lambda s: deliveries.resolve(s, delivery_id, answer == "1", note, who.name), form
    )


async def add_user(desk: Desk, request: Request) -> Response:
    form = await auth.checked_form(request)
    who = auth.require_admin(request)
    name, role = str(form.get("name") or ""), str(form.get("role") or "")
    password = str(form.get("password") or "")
    return await _do(
        desk, request, lambda s: users.add_user(s, name, role, password, who.name), form
    )


async def disable_user(desk: Desk, request: Request) -> Response:
    form = await auth.checked_form(request)
    who = auth.require_admin(request)
    name = str(request.path_params["name"])
    return await _do(desk, request, lambda s: users.disable_user(s, name, who.name), form)


ROUTES: list[tuple[str, Callable[..., Any]]] = [
    (ENTRY + "/correct", correct),
    (ENTRY + "/confirm", confirm),
    (ENTRY + "/assign", assign),
    (ENTRY + "/close", close),
    ("/failures/{job:int}/handled", handled),
    ("/failures/{job:int}/requeue", requeue),
    ("/deliveries/{id:int}/retry", retry_delivery),
    ("/deliveries/{id:int}/resolve", resolve_delivery),
    ("/users", add_user),
    ("/users/{name}/disable", disable_user),
]


async def _clerk_form(request: Request) -> tuple[users.Account, FormData]:
    form = await auth.checked_form(request)  # the token first: a forged post learns nothing
    return auth.require_change(request), form


def _entry_key(request: Request) -> tuple[str, int, int]:
    book = str(request.path_params["book"])
    if book not in ("den", "di"):
        raise HTTPException(404, "Không có sổ này.")
    return book, int(request.path_params["year"]), int(request.path_params["seq"])


async def _do(
    desk: Desk, request: Request, act: Callable[[Session], object], form: FormData
) -> Response:
    """Run `act` in one transaction; a refusal is shown with its reason (409)."""
    await _run(desk, act, _REFUSED)
    return RedirectResponse(_next(form, request.url.path.rsplit("/", 1)[0] or "/"), status_code=303)


async def _do_delivery(desk: Desk, act: Callable[[Session], object], form: FormData) -> Response:
    """`_do` for the outgoing wing, whose operations refuse as on the command line."""
    await _run(desk, act, _DELIVERY_REFUSED)
    return RedirectResponse(_next(form, "/deliveries"), status_code=303)


# How each refusal shows: the register's operations raise PermanentError (409); the outgoing
# wing's raise LookupError (no such delivery: 404) and ValueError (not in a state for it: 409).
Refusals = tuple[tuple[type[Exception], int], ...]
_REFUSED: Refusals = ((PermanentError, 409),)
_DELIVERY_REFUSED: Refusals = ((LookupError, 404), (ValueError, 409))


async def _run(desk: Desk, act: Callable[[Session], object], refusals: Refusals) -> None:
    """`act` in one transaction, off the event loop; a refusal becomes its HTTP status."""

    def run() -> None:
        with desk.sessions.begin() as session:
            act(session)

    try:
        await run_in_threadpool(run)
    except Exception as exc:
        code = next((code for kind, code in refusals if isinstance(exc, kind)), None)
        if code is None:
            raise
        raise HTTPException(code, str(exc)) from exc


def _next(form: FormData, default: str) -> str:
    """Where to go after the change: a local path from the form, never another site."""
    wanted = str(form.get("next") or "")
    if wanted.startswith("/") and not wanted.startswith("//") and "\\" not in wanted:
        return wanted
    return default
