"""The desk's pages (reading): login, review queue, books, an entry, failures, deliveries.
Handlers that touch the register are plain functions: Starlette runs them on its thread pool,
so a slow query never holds up the event loop. Changes are in `daemon.web.actions`."""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from daemon.ocr.model import FIELDS
from daemon.register import corrections, queries, users
from daemon.register.models import BOOKS, Document
from daemon.web import actions, auth, data, fragments, health

if TYPE_CHECKING:
    from daemon.web.app import Desk

BOOK_NAMES = {"den": "Sổ đến", "di": "Sổ đi"}
FIELD_INFO = [info for info in FIELDS]


def routes(desk: Desk) -> list[BaseRoute]:
    def page(path: str, handler: Any, methods: tuple[str, ...] = ("GET",)) -> Route:
        async def endpoint(request: Request) -> Response:
            result: Response = await handler(desk, request)
            return result

        return Route(path, endpoint, methods=list(methods))

    return [
        page("/", home),
        page("/login", login_form),
        page("/login", login_post, ("POST",)),
        page("/logout", logout, ("POST",)),
        page("/review", review),
        page("/book/{book}", book),
        page("/entry/{book}/{year:int}/{seq:int}", entry),
        page("/documents/{id:int}/page.png", page_image),
        page("/documents/{id:int}/original", original),
        page("/failures", failures),
        page("/deliveries", deliveries),
        page("/users", accounts),
        *[page(path, handler, ("POST",)) for path, handler in actions.ROUTES],
        page("/healthz", health.healthz),
        page("/metrics", health.metrics),
    ]


async def home(desk: Desk, request: Request) -> Response:
    return RedirectResponse("/review", status_code=303)


async def login_form(desk: Desk, request: Request) -> Response:
    return desk.render(request, "login.html", error=None)


async def login_post(desk: Desk, request: Request) -> Response:
    form = await auth.checked_form(request)
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    address = request.client.host if request.client else "?"

    def attempt() -> users.Account | None:
        with desk.sessions.begin() as session:
            return users.login(session, name, password, address)

    account = await run_in_threadpool(attempt)
    if account is None:
        message = "Sai tên hoặc mật khẩu, hoặc đã thử quá nhiều lần: thử lại sau ít phút."
        return desk.render(request, "login.html", 401, error=message)
    auth.start_session(request, account)
    return RedirectResponse("/review", status_code=303)


async def logout(desk: Desk, request: Request) -> Response:
    await auth.checked_form(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def review(desk: Desk, request: Request) -> Response:
    at = request.query_params.get("at")
    shown = await desk.shared(
        request, ("review", at), lambda session: fragments.review(session, desk.templates, at)
    )
    return desk.render(
        request,
        "review.html",
        fields=_editable(),
        review=shown,
        current=shown.current,
        threshold=desk.settings.reading.review_threshold,
    )


async def book(desk: Desk, request: Request) -> Response:
    name = request.path_params["book"]
    if name not in BOOKS:
        raise HTTPException(404, "Không có sổ này.")
    params = request.query_params
    wanted = data.BookFilter(
        book=name,
        year=_int(params.get("year")) or desk.today().year,
        status=params.get("status") or None,
        doc_type=params.get("type") or None,
        issuer=params.get("issuer") or None,
        unit=params.get("unit") or None,
        overdue=params.get("overdue") == "1",
        query=params.get("q") or None,
        page=_int(params.get("page")) or 1,
    )

    today = desk.today()
    lines = await desk.shared(
        request,
        ("book", wanted, today),
        lambda session: fragments.book_lines(session, desk.templates, desk.local, wanted, today),
    )
    query = {k: v for k, v in params.items() if k != "page"}
    return desk.render(
        request,
        "book.html",
        book=name,
        title=BOOK_NAMES[name],
        wanted=wanted,
        lines=lines,
        pages=max(1, -(-lines.total // data.PAGE)),
        base_query=urllib.parse.urlencode(query),
    )


async def entry(desk: Desk, request: Request) -> Response:
    book_, year, seq = (request.path_params[k] for k in ("book", "year", "seq"))

    def load() -> dict[str, Any] | None:
        with desk.reading() as session:
            row = queries.get_entry(session, book_, year, seq)
            found = data.find(session, book_, year, seq)
            if row is None or found is None:
                return None
            return {
                "row": row,
                "document": found[1],
                "trail": data.trail(session, row.label),
                "deliveries": row.deliveries
                or queries.list_deliveries(session, document_ids=[found[1].id]),
                "resolved": data.resolutions(session),
            }

    context = await run_in_threadpool(load)
    if context is None:
        raise HTTPException(404, f"Không có số {seq}/{year} trong {BOOK_NAMES.get(book_, 'sổ')}.")
    return desk.render(
        request,
        "entry.html",
        fields=FIELD_INFO,
        editable=_editable(),
        threshold=desk.settings.reading.review_threshold,
        **context,
    )


async def page_image(desk: Desk, request: Request) -> Response:
    document = await run_in_threadpool(_document, desk, request.path_params["id"])
    original = desk.archive.path(document.sha256, document.media_type)
    try:
        png = await run_in_threadpool(
            desk.renderer.first_page, original, document.sha256, document.media_type
        )
    except Exception as exc:  # noqa: BLE001 - a preview that cannot be made is not fatal
        raise HTTPException(404, f"Không dựng được ảnh trang đầu: {type(exc).__name__}") from exc
    return FileResponse(png, media_type="image/png", headers={"Cache-Control": "private"})


async def original(desk: Desk, request: Request) -> Response:
    """The original by its document id (never by a path the request names)."""
    document = await run_in_threadpool(_document, desk, request.path_params["id"])
    path = desk.archive.path(document.sha256, document.media_type)
    if not path.is_file():
        raise HTTPException(404, "Bản gốc không còn trong kho lưu trữ.")
    return FileResponse(
        path,
        media_type=document.media_type,
        filename=document.original_name,
        content_disposition_type="attachment",
    )


async def failures(desk: Desk, request: Request) -> Response:
    def load() -> list[queries.FailureRow]:
        with desk.reading() as session:
            rows = queries.failures(session)
            done = corrections.handled_jobs(session, [r.job_id for r in rows])
            return [r for r in rows if r.job_id not in done]

    rows = await run_in_threadpool(load)
    return desk.render(request, "failures.html", rows=rows)


async def deliveries(desk: Desk, request: Request) -> Response:
    status = request.query_params.get("status") or None

    def load() -> tuple[list[queries.DeliveryRow], dict[int, data.Resolution]]:
        with desk.reading() as session:
            return queries.list_deliveries(session, status=status), data.resolutions(session)

    rows, resolved = await run_in_threadpool(load)
    return desk.render(request, "deliveries.html", rows=rows, status=status, resolved=resolved)


async def accounts(desk: Desk, request: Request) -> Response:
    auth.require_admin(request)

    def load() -> list[Any]:
        from sqlalchemy import select

        from daemon.register.models import User

        with desk.reading() as session:
            return list(session.scalars(select(User).order_by(User.name)))

    rows = await run_in_threadpool(load)
    return desk.render(request, "users.html", rows=rows, roles=users.ROLES)


def _document(desk: Desk, document_id: int) -> Document:
    with desk.reading() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise HTTPException(404, f"Không có văn bản số {document_id}.")
        session.expunge(document)
        return document


def _editable() -> list[Any]:
    return [info for info in FIELDS if info.name in corrections.CORRECTABLE]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
