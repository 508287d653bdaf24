"""What the audit trail vouches for about an entry, beyond the event itself.

A "registered" event carries the digest of what was written into the register for the
document: its bytes' hash, its fields, ngày đến and the due date. `vanthu verify` recomputes
it from the rows, so an edited subject, issuer or date shows even when the chain was
re-hashed around it. (Later corrections, when they exist, append an event with the new digest;
the last one counts.)
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from daemon.register import audit
from daemon.register.models import Document, Entry, document_fields

DIGEST_EVENTS = ("registered", "corrected")  # corrections: daemon/register/corrections.py


def entry_digest(entry: Entry, document: Document) -> str:
    """SHA-256 of the entry's recorded content, as canonical JSON."""
    content: dict[str, Any] = {
        "sha256": document.sha256,
        "fields": {
            k: v for k, v in document_fields(document).as_json().items() if k != "confidence"
        },
        "received_at": entry.received_at,
        "due_date": entry.due_date,
        "book": entry.book,
        "year": entry.year,
        "seq": entry.seq,
    }
    text = json.dumps(audit.jsonable(content), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
