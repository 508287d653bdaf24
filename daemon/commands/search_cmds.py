"""`vanthu register search "..."`: the register's entries whose fields or text match, best first."""

from __future__ import annotations

import argparse
import sys
from zoneinfo import ZoneInfo

from daemon.cli import emit, settings_of


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "query",
        metavar="QUERY",
        help='words to find, all of them: "quyet dinh" matches Quyết định; a word written with '
        'marks ("đăng ký") matches only with them; "123/QĐ-UBND" is one phrase. Best first: '
        "the number asked for, then matches in the number or trích yếu, the cơ quan ban hành or "
        "người ký, the other fields, then in the full text only; the latest first among equals",
    )
    p.add_argument(
        "--book", choices=["den", "di"], help="den: văn bản đến, di: văn bản đi (default: both)"
    )
    p.add_argument("--year", type=int, metavar="Y", help="only entries of this year")
    p.add_argument(
        "--limit", type=_positive, default=20, metavar="N", help="at most N hits (default 20)"
    )


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return int(text)


def search(args: argparse.Namespace) -> int:
    """Print the hits, best first (none is not an error, as for `register list`)."""
    from daemon.register.db import session_factory
    from daemon.register.migrate import open_register
    from daemon.register.search import QueryError, find

    settings = settings_of(args)
    tz = ZoneInfo(settings.register.timezone)
    engine = open_register(settings.database_url())
    try:
        with session_factory(engine, read_only=True)() as session:
            found = find(session, args.query, book=args.book, year=args.year, limit=args.limit)
            hits = found.hits
            for hit in hits:
                received = hit.received_at.astimezone(tz).date().isoformat()
                line = (
                    f"{hit.book} {hit.seq:>5}/{hit.year}  {received}  {hit.number or '-':<18} "
                    f"{_cut(hit.subject or '-', 60)}"
                    + (f"  | {hit.snippet}" if hit.snippet and hit.snippet != hit.subject else "")
                )
                emit(args, hit.as_json(), line)
    except QueryError as exc:
        print(f"vanthu: search: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if not hits and not args.json:
        print(f"(no entry matches {args.query!r})")
    if found.bounded:  # on stderr: --json's output stays one hit per line
        print(
            f"(more than {found.ranked:,} documents match in their fields: these are the best "
            f"of the latest {found.ranked:,}; add words, --year or --book to reach older ones)",
            file=sys.stderr,
        )
    return 0


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
