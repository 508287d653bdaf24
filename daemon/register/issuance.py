"""The sổ đi's own rules: an outgoing document keeps the number it was issued with.

Nghị định 30/2020 Điều 15: văn bản đi are numbered from 01 each year, in one series per agency,
and the register must show every number. So the sổ đi takes the document's own number (the
"27" of "27/UBND-VP") instead of giving one: a số và ký hiệu issued twice in a year is refused
as a duplicate issue, and a number that skips ahead of the last one registered is registered
but flagged, naming the numbers missing between.
"""

from __future__ import annotations

import re
import unicodedata
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from daemon.errors import PermanentError
from daemon.register.models import Counter, Document, Entry

BOOK = "di"
_LEADING_NUMBER = re.compile(r"\s*0*(\d{1,6})\s*/")
_counters = cast(Table, Counter.__table__)
_documents = cast(Table, Document.__table__)


class DuplicateIssue(PermanentError):
    """This number (or this số và ký hiệu) is already in the sổ đi for the year."""


def issued_number(number: str | None) -> int | None:
    """The số of a số và ký hiệu: 27 for "27/UBND-VP", 5 for "05/QĐ-UBND"; None without one."""
    match = _LEADING_NUMBER.match(number or "")
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


def issue_check(session: Session, year: int, seq: int, number: str) -> list[str]:
    """Refuse a duplicate issue; the review notes for a number out of sequence (a gap before
    it). Locks the year's counter, so concurrent issues are judged one after the other."""
    earlier = session.execute(
        select(Entry.seq, _documents.c.number)
        .join(_documents, Entry.document_id == _documents.c.id)
        .where(Entry.book == BOOK, Entry.year == year, Entry.seq == seq)
    ).first()
    if earlier is not None:
        same = _key(earlier.number or "") == _key(number)
        what = f"{number} was already issued" if same else f"số {seq} is already {earlier.number}"
        raise DuplicateIssue(f"duplicate issue: {what} in the sổ đi of {year} (số {seq}/{year})")
    last = session.execute(
        select(_counters.c.last_seq)
        .where(_counters.c.book == BOOK, _counters.c.year == year)
        .with_for_update()
    ).scalar()
    last = int(last or 0)
    if seq <= last + 1:
        return []
    missing = f"{last + 1}" if seq == last + 2 else f"{last + 1}–{seq - 1}"
    return [f"số {seq} skips ahead of the last one registered ({last}): số {missing} missing"]


def _key(number: str) -> str:
    """A số và ký hiệu as compared: NFC, case and spaces ignored ("27/UBND-VP" = "27/ubnd - vp")."""
    return "".join(unicodedata.normalize("NFC", number).casefold().split())
