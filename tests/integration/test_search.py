"""`vanthu register search` on SQLite (FTS5) and PostgreSQL (unaccent, tsvectors): the same
table of cases gives the same answers on both, through the registering code, the full-text
job, the command line and an upgrade from a register made before search existed."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from daemon.cli import main
from daemon.ocr.model import Fields, Line, Page, Reading
from daemon.register import migrate, search
from daemon.register.db import make_engine, session_factory
from daemon.register.models import Document, document_fields, store_fields
from daemon.register.registry import register_document
from tests.docgen.random_docs import make_specs
from tests.fixtures.install import Install

UTC = dt.UTC
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "docs"


@dataclass(frozen=True)
class Doc:
    """One register entry of the shared table, named by `key` in the expected answers."""

    key: str
    number: str | None
    subject: str
    text: str = ""
    issuer: str | None = None
    signer: str | None = None
    recipients: tuple[str, ...] = ()
    note: str | None = None
    unit: str | None = None
    book: str = "den"
    received: dt.datetime = field(default=dt.datetime(2026, 3, 2, 9, tzinfo=UTC))


CORPUS = (
    Doc("qd", "123/QĐ-UBND", "Quyết định về việc đăng ký hộ kinh doanh", "Điều 1. Nay cho phép"),
    Doc("cv", "45/UBND-VP", "Công văn về việc hoà giải ở cơ sở", "Đề nghị đăng ký tạm trú"),
    Doc("tb", "7/TB", "Thong bao dang ky xe", "van ban go khong dau", issuer="UBND XA DONG HOA"),
    Doc(
        "kh",
        "09/KH-UBND",
        "Kế hoạch phòng cháy, chữa cháy rừng mùa khô",
        "Giao Sở Nông nghiệp chủ trì",
        issuer="ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        signer="Lê Văn An",
        recipients=("Sở Tài chính", "Lưu: VT"),
        note="bản sao gửi Đảng ủy",
        unit="Phòng Kinh tế",
        received=dt.datetime(2025, 12, 30, 9, tzinfo=UTC),
    ),
    Doc("di", "12/BC-UBND", "Báo cáo tình hình đăng ký kết hôn", book="di"),
    Doc("dan", "3/GM", "Giấy mời họp Đan Phượng", "Thành phần: bà Đàn"),
    Doc("hop", "4/GM", "Giấy mời họp", "Kính mời ông Dan"),
)

#: query -> the entries it finds, best first: "a b > c" is a and b (in either order), then c.
CASES: list[tuple[str, str]] = [
    # without marks: every spelling, đ included; the subject's match above the body's
    ("quyet dinh", "qd"),
    ("dang ky", "tb di qd > cv"),
    ("DANG KY", "tb di qd > cv"),
    ("hoa giai", "cv"),
    ("dong hoa", "tb"),
    ("lam dong", "kh"),
    # with marks: only words written with them (case and tone placement aside)
    ("đăng ký", "qd di > cv"),
    ("ĐĂNG KÝ", "qd di > cv"),
    ("hòa giải", "cv"),  # written "hoà" in the subject
    ("Đồng", "kh"),  # "ĐỒNG" in Lâm Đồng, not "DONG HOA"
    ("đăng ky", "qd di > cv"),  # one word with marks, one without
    # đ/Đ against d
    ("dong", "kh tb"),
    ("dan", "dan > hop kh"),  # Đan in a subject; Dan in a text; NHÂN DÂN in an issuer
    ("đan", "dan"),
    ("Đàn", "dan"),
    ("DAN", "dan > hop kh"),
    ("đàn phượng", "dan"),
    ("đàn kinh doanh", ""),  # every word is required, in one document
    # numbers: a phrase, as printed or without its marks
    ("123/QĐ-UBND", "qd"),
    ("123/qd-ubnd", "qd"),
    ("QĐ-UBND", "qd"),
    ("UBND", "qd cv kh di > tb"),
    ("45/UBND-VP", "cv"),
    ("123/UBND", ""),
    # the other fields: signer, nơi nhận, ghi chú, đơn vị nhận, cơ quan ban hành
    ("le van an", "kh"),
    ("tai chinh", "kh"),
    ("dang uy", "kh"),
    ("phong kinh te", "kh"),
    ("nong nghiep", "kh"),
    ("không có chữ này", ""),
]


def _keys(hits: list[search.Hit]) -> list[str]:
    by_number = {d.number: d.key for d in CORPUS}
    return [by_number[h.number] for h in hits]


def _register(session: Session, doc: Doc, n: int) -> None:
    entry = register_document(
        session,
        sha256=f"{n:064x}",
        original_name=f"{doc.key}.pdf",
        media_type="application/pdf",
        size=1000,
        pages=1,
        source="cli",
        provenance={},
        text=doc.text,
        text_source="text-layer",
        fields=Fields(
            number=doc.number,
            subject=doc.subject,
            issuer=doc.issuer,
            signer=doc.signer,
            recipients=doc.recipients,
        ),
        status="registered",
        book=doc.book,
        received_at=doc.received,
        tz="Asia/Ho_Chi_Minh",
        issued=(2026, n) if doc.book == "di" else None,
    )
    # a clerk's later changes: the unit and a note, then the index told
    entry.recipient_unit, entry.note = doc.unit, doc.note
    search.reindex(session, entry.document_id)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    sessions = session_factory(engine)
    with sessions.begin() as session:
        for n, doc in enumerate(CORPUS, start=1):
            _register(session, doc, n)
    return sessions


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[q for q, _ in CASES])
def test_both_back_ends_give_the_table_s_answers(
    sessions: sessionmaker[Session], query: str, expected: str
) -> None:
    with sessions() as session:
        found = _keys(search.search(session, query))
    ranks = [set(group.split()) for group in expected.split(">") if group.strip()]
    groups, start = [], 0
    for rank in ranks:
        groups.append(set(found[start : start + len(rank)]))
        start += len(rank)
    assert (groups, len(found)) == (ranks, start), f"found {found}"


def test_book_year_and_limit_narrow_the_hits(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        assert _keys(search.search(session, "ubnd", book="di")) == ["di"]
        assert set(_keys(search.search(session, "ubnd", book="den"))) == {"qd", "cv", "kh", "tb"}
        assert _keys(search.search(session, "ubnd", year=2025)) == ["kh"]
        assert set(_keys(search.search(session, "ubnd", year=2026))) == {"qd", "cv", "di", "tb"}
        assert len(search.search(session, "dang ky", limit=2)) == 2
        with pytest.raises(search.QueryError, match="limit"):
            search.search(session, "dang ky", limit=0)


def test_only_the_latest_field_matches_are_ranked_said_so_and_filters_come_first(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A word in the fields of most of the register ranks only the latest RANKED documents
    holding it there (speed), and the answer says so; a book or a year asked for still finds
    an older document."""
    monkeypatch.setattr(search, "RANKED", 2)
    with sessions() as session:
        found = search.find(session, "ubnd", limit=2)
        # UBND is in the number of qd, cv, kh and di, in the issuer of tb: only the latest two
        # documents holding it (the hop and dan documents do not) competed
        assert (_keys(found.hits), found.bounded, found.ranked) == (["di", "kh"], True, 2)
        found = search.find(session, "ubnd", year=2025, limit=2)
        assert (_keys(found.hits), found.bounded) == (["kh"], False)
        assert _keys(search.search(session, "ubnd", book="di", limit=2)) == ["di"]
        assert search.find(session, "ubnd", year=2019).hits == [], "no entry that year"
        # the limit is always ranked in full
        found = search.find(session, "ubnd", limit=5)
        assert (found.bounded, len(found.hits)) == (False, 5)


def test_the_matches_taken_range_by_range_are_those_of_one_walk(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL walks the latest documents, then asks the GIN index range by range
    (search._pg_latest): with ranges of one document, then two, four..., every answer is the
    same as with one walk over the whole register."""
    with sessions() as session:
        whole = {q: _keys(search.search(session, q)) for q, _ in CASES}
        limited = {q: _keys(search.search(session, q, limit=2)) for q, _ in CASES}
    monkeypatch.setattr(search, "PG_WALK", dict.fromkeys(search.PG_WALK, 1))
    monkeypatch.setattr(search, "PG_WIDER", 2)
    with sessions() as session:
        assert {q: _keys(search.search(session, q)) for q, _ in CASES} == whole
        assert {q: _keys(search.search(session, q, limit=2)) for q, _ in CASES} == limited
        assert _keys(search.search(session, "ubnd", year=2026, limit=2)) == ["di", "cv"]


def test_the_number_asked_for_comes_first_then_where_the_words_are_then_the_latest(
    sessions: sessionmaker[Session],
) -> None:
    later = [
        Doc("ref", "6/TTr", "Tờ trình sửa đổi 123/QĐ-UBND", issuer="Phòng Tư pháp"),
        Doc("tp", "7/CV", "Công văn", "Phòng Tư pháp đề nghị", recipients=("Phòng Tư pháp",)),
        Doc("tp2", "8/CV", "Công văn về Phòng Tư pháp"),
        Doc("tx", "9/GM", "Giấy mời", "Kính mời đại diện Phòng Tư pháp"),
    ]
    with sessions.begin() as session:
        for n, doc in enumerate(later, start=len(CORPUS) + 1):
            _register(session, doc, n)
    keys = {d.number: d.key for d in (*CORPUS, *later)}
    with sessions() as session:
        numbered = search.search(session, "123/QĐ-UBND")
        assert [keys[h.number] for h in numbered] == ["qd", "ref"], "the number, then a mention"
        # trích yếu (4 a word) above cơ quan ban hành (2) above nơi nhận (1); the text only
        # last, though the latest
        places = search.search(session, "phong tu phap")
        assert [keys[h.number] for h in places] == ["tp2", "ref", "tp", "tx"]
        # among equals, the latest arrival first
        assert [keys[h.number] for h in search.search(session, "cong van")] == ["tp2", "tp", "cv"]


def test_a_hit_carries_its_entry_and_a_snippet_around_the_match(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        [hit] = search.search(session, "tam tru")
    assert (hit.book, hit.year, hit.seq, hit.number) == ("den", 2026, 2, "45/UBND-VP")
    assert hit.snippet == "Đề nghị đăng ký tạm trú"
    assert hit.as_json()["received_at"] == "2026-03-02T09:00:00+00:00"


def test_a_correction_reindexed_is_found_and_the_old_words_are_not(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        document = session.scalars(sa.select(Document).where(sa.column("number") == "7/TB")).one()
        corrected = replace(document_fields(document), subject="Thông báo lịch tiếp công dân")
        store_fields(document, corrected)
        search.reindex(session, document.id)
    with sessions() as session:
        assert _keys(search.search(session, "tiep cong dan")) == ["tb"]
        assert _keys(search.search(session, "xe")) == []


def test_assigning_and_closing_an_entry_makes_the_unit_and_the_note_searchable(
    sessions: sessionmaker[Session],
) -> None:
    from daemon.register import follow

    with sessions.begin() as session:
        entry = follow.find_entry(session, 2026, 1)  # the qd document
        follow.assign(session, entry, unit="Phòng Văn hóa và Thông tin", person="Trịnh Thị Hằng")
    with sessions() as session:
        [hit] = search.search(session, "van hoa thong tin")
        assert (hit.number, hit.snippet) == ("123/QĐ-UBND", "Phòng Văn hóa và Thông tin")
        assert _keys(search.search(session, "Trịnh Thị Hằng")) == ["qd"]
    with sessions.begin() as session:
        entry = follow.find_entry(session, 2026, 1)
        follow.close(session, entry, note="Đã trả lời bằng Công văn số 77/UBND-VX")
    with sessions() as session:
        assert _keys(search.search(session, "77/UBND-VX")) == ["qd"]
        assert _keys(search.search(session, "da tra loi")) == ["qd"]


# --- the full-text job ---------------------------------------------------------------------


class BodyReader:
    """A scan whose fields' regions say little; its whole page, read later, says more."""

    def read(self, path: Path) -> Reading:
        line = Line("Số: 88/QĐ-UBND", 0.1, 0.1, 0.9, 0.15)
        return Reading("application/pdf", (Page((line,), "ocr"),))

    def read_body(self, path: Path) -> Reading:
        header = self.read(path).pages[0].lines
        body = Line("Điều 2. Giao Phòng Tư pháp hướng dẫn hồ sơ", 0.1, 0.5, 0.9, 0.52)
        return Reading("application/pdf", (Page((*header, body), "ocr"),))

    def signatures(self, path: Path, roots_dir: Path) -> tuple[object, ...]:
        return ()

    def close(self) -> None:
        pass


def test_the_full_text_job_makes_the_whole_page_searchable(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from daemon.config import load
    from daemon.ingest import INCOMING
    from daemon.ingest.fulltext import FullTextHandler
    from daemon.ingest.incoming import IncomingHandler
    from daemon.work.loop import JobLoop
    from daemon.work.parts import Parts

    rules = Path(__file__).resolve().parents[2] / "rules"
    config = tmp_path / "vanthu.toml"
    config.write_text(f'[rules]\ndir = "{rules}"\n[database]\nurl = "{db_url}"\n', "utf-8")
    settings = load(config)
    sure = {k: 0.95 for k in ("number", "date", "doc_type", "subject", "issuer", "secrecy")}
    fields = Fields(
        number="88/QĐ-UBND",
        date=dt.date(2026, 1, 5),
        doc_type="Quyết định",
        subject="Về việc thử",
        issuer="UBND HUYỆN",
        confidence=sure,
    )
    monkeypatch.setattr("daemon.ingest.incoming.extract_fields", lambda *_: fields)
    parts = Parts.build(settings, reader=BodyReader())
    handlers: list[Any] = [IncomingHandler(parts), FullTextHandler(parts)]
    loop = JobLoop(handlers, parts.sessions, settings.service, workers=1)
    try:
        parts.stager.stage_bytes(
            b"scan", name="scan.pdf", kind=INCOMING, source="cli", provenance={}
        )
        with parts.sessions() as session:
            assert search.search(session, "tu phap") == []
        outcomes = loop.drain()
        assert [o.state for o in outcomes] == ["done", "done"], "registered, then its full text"
        with parts.sessions() as session:
            [hit] = search.search(session, "tu phap")
        assert hit.number == "88/QĐ-UBND" and "Điều 2. Giao Phòng Tư pháp" in hit.snippet
    finally:
        loop.close()
        parts.close()


# --- the command line ----------------------------------------------------------------------


@pytest.fixture
def office(install: Install, db_url: str, sessions: sessionmaker[Session]) -> Install:
    """An install whose register (SQLite or PostgreSQL) holds the shared table's entries."""
    install.set("database", "url", json.dumps(db_url))
    return install


def _run(office: Install, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["register", "search", *args, "--config", str(office.config)])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_prints_one_line_per_hit_best_first(
    office: Install, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(office, capsys, "dang ky")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 4
    assert lines[-1].startswith("den     2/2026  2026-03-02  45/UBND-VP")
    assert lines[-1].endswith("| Đề nghị đăng ký tạm trú"), "the match in the text, shown"
    assert "di     5/2026" in out and "Báo cáo tình hình đăng ký kết hôn" in out


def test_the_command_prints_json_and_takes_book_year_and_limit(
    office: Install, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(office, capsys, "UBND", "--json", "--book", "den", "--year", "2025")
    [hit] = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and (hit["seq"], hit["year"], hit["number"]) == (1, 2025, "09/KH-UBND")
    assert hit["subject"] == "Kế hoạch phòng cháy, chữa cháy rừng mùa khô"
    code, out, _ = _run(office, capsys, "dang ky", "--limit", "1", "--json")
    assert code == 0 and len(out.splitlines()) == 1


def test_the_command_says_when_the_ranking_was_bounded(
    office: Install, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _run(office, capsys, "UBND", "--json")
    assert (code, len(out.splitlines()), err) == (0, 5, "")
    monkeypatch.setattr(search, "RANKED", 2)
    code, out, err = _run(office, capsys, "UBND", "--json", "--limit", "1")
    assert (code, len(out.splitlines())) == (0, 1), "one JSON hit a line, the note apart"
    assert err == (
        "(more than 2 documents match in their fields: these are the best of the latest 2; "
        "add words, --year or --book to reach older ones)\n"
    )


def test_the_command_says_when_nothing_matches_or_nothing_was_asked(
    office: Install, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(office, capsys, "không có chữ này")[:2] == (
        0,
        "(no entry matches 'không có chữ này')\n",
    )
    code, out, err = _run(office, capsys, ". / ;")
    assert (code, out) == (2, "") and "nothing to search for" in err
    with pytest.raises(SystemExit):
        _run(office, capsys, "x", "--limit", "0")
    assert "1 or more" in capsys.readouterr().err


# --- an upgrade, and what is never indexed -------------------------------------------------


def test_a_register_made_before_search_is_indexed_by_the_upgrade(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            config = Config()
            config.set_main_option("script_location", str(migrate.MIGRATIONS))
            config.attributes["connection"] = conn
            command.upgrade(config, "0006")
            _insert_at_0006(conn)
        assert migrate.state(engine).current == "0006"
        migrate.upgrade(engine)
        with engine.connect() as conn:  # both indexes filled (0007, then 0011)
            for table in (
                search.FIELDS_TABLE,
                search.PG_TABLE if "postgresql" in db_url else search.FTS_TABLE,
            ):
                assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 2
        with session_factory(engine)() as session:
            [hit] = search.search(session, "quyet dinh dang ky")
            assert (hit.seq, hit.number) == (7, "15/QĐ-UBND")
            assert [h.seq for h in search.search(session, "Lâm Đồng")] == [8]
            assert [h.seq for h in search.search(session, "nong nghiep")] == [8]
    finally:
        engine.dispose()


def _insert_at_0006(conn: sa.Connection) -> None:
    """Two documents as a register at revision 0006 holds them (plain SQL: the models are
    newer than that register)."""
    now = dt.datetime(2026, 2, 2, 8, tzinfo=UTC)
    documents = [
        (1, "15/QĐ-UBND", "Quyết định về việc đăng ký hộ kinh doanh", "", "[]"),
        (2, "3/CV", "Công văn", "Giao Sở Nông nghiệp", '["UBND tỉnh Lâm Đồng"]'),
    ]
    for n, number, subject, text, recipients in documents:
        conn.execute(
            sa.text(
                "INSERT INTO documents (id, sha256, original_name, media_type, size, pages, "
                "source, provenance, status, text_source, text, number, subject, recipients, "
                "addressees, confidence, created_at) VALUES (:id, :sha, 'a.pdf', "
                "'application/pdf', 1, 1, 'folder', '{}', 'registered', 'text-layer', :text, "
                ":number, :subject, :recipients, '[]', '{}', :now)"
            ),
            {
                "id": n,
                "sha": f"{n:064x}",
                "text": text,
                "number": number,
                "subject": subject,
                "recipients": recipients,
                "now": now,
            },
        )
        conn.execute(
            sa.text(
                "INSERT INTO register_entries (book, year, seq, document_id, received_at) "
                "VALUES ('den', 2026, :seq, :id, :now)"
            ),
            {"seq": n + 6, "id": n, "now": now},
        )


def test_a_secret_document_set_aside_leaves_nothing_to_search(
    install: Install, capsys: pytest.CaptureFixture[str]
) -> None:
    letter, decision = FIXTURES / "complaint_letter.pdf", FIXTURES / "digital_quyetdinh.pdf"
    main(["ingest", str(letter), str(decision), "--config", str(install.config)])
    capsys.readouterr()
    # the complaint letter's addressee and signer; the decision's subject
    for query, found in [("Đức Trọng", 0), ("Hoang Thi Duyen", 0), ("chua chay rung", 1)]:
        code, out, _ = _run(install, capsys, query, "--json")
        assert (code, len(out.splitlines())) == (0, found), query
    database = install.folder("var") / "vanthu.db"
    with sqlite3.connect(database) as conn:
        indexed = conn.execute(f"SELECT rowid, body FROM {search.FTS_TABLE}").fetchall()
        documents = conn.execute("SELECT id FROM documents").fetchall()
    assert [row[0] for row in indexed] == [row[0] for row in documents] and len(indexed) == 1
    assert "duyên" not in indexed[0][1] and "khiếu" not in indexed[0][1]


# --- PostgreSQL's fold and Python's ----------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_folds_every_vietnamese_letter_as_the_python_fold_does(
    pg_server: Any,
) -> None:
    """The index on PostgreSQL folds with unaccent, SQLite's with `search.fold`: they agree on
    the whole alphabet, both cases (the index holds lower-case words)."""
    letters = [unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in TONES]
    letters += ["đ", "Đ", *(c.upper() for c in letters)]
    name = pg_server.create_database()
    engine = make_engine(pg_server.url(name))
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            folded = conn.execute(
                sa.text("SELECT vanthu_unaccent(x) FROM unnest(CAST(:xs AS text[])) AS x"),
                {"xs": [search.marked(c) for c in letters]},
            ).scalars()
            assert dict(zip(letters, folded, strict=True)) == {c: search.fold(c) for c in letters}
    finally:
        engine.dispose()
        pg_server.drop_database(name)


TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


@pytest.mark.postgres
def test_sqlite_and_postgresql_find_the_same_entries_in_generated_documents(
    tmp_path: Path, pg_server: Any
) -> None:
    specs = make_specs(40, seed=1207)
    queries = {"UBND", "quyet dinh", "Quyết định", "ve viec", "đề nghị"}
    for spec in specs[:12]:
        subject_words = (spec.subject or "").split()[:2]
        queries |= {" ".join(subject_words), search.fold(" ".join(subject_words))}
        queries |= {spec.number or "", (spec.issuer or "").split(" ")[-1], spec.signer or ""}
    queries = {q for q in queries if search.words(q)}
    name = pg_server.create_database()
    answers = []
    for url in (f"sqlite:///{tmp_path / 'register.db'}", pg_server.url(name)):
        engine = make_engine(url)
        try:
            migrate.upgrade(engine)
            with session_factory(engine).begin() as session:
                for n, spec in enumerate(specs, start=1):
                    _register_spec(session, spec, n)
            with session_factory(engine)() as session:
                # the whole answer, in order: both back ends rank the same way
                answers.append(
                    {q: [h.seq for h in search.search(session, q, limit=50)] for q in queries}
                )
        finally:
            engine.dispose()
    pg_server.drop_database(name)
    assert answers[0] == answers[1]
    assert sum(1 for found in answers[0].values() if found) > len(queries) // 2, "most find"


def _register_spec(session: Session, spec: Any, n: int) -> None:
    register_document(
        session,
        sha256=f"{n:064x}",
        original_name=f"{n}.pdf",
        media_type="application/pdf",
        size=1000,
        pages=1,
        source="folder",
        provenance={},
        text="\n".join(p.text for p in spec.body),
        text_source="text-layer",
        fields=Fields(
            number=spec.number,
            doc_type=spec.doc_type,
            subject=spec.subject,
            issuer=spec.issuer,
            parent_issuer=spec.parent_issuer,
            recipients=spec.recipients,
            addressees=spec.addressees,
            signer=spec.signer,
        ),
        status="registered",
        received_at=dt.datetime(2026, 4, 1, 8, tzinfo=UTC) + dt.timedelta(minutes=n),
        tz="Asia/Ho_Chi_Minh",
    )
