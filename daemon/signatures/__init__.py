"""Checks of the digital signatures embedded in PDFs (ND30 Điều 21: authenticity, integrity).

`check_signatures(data, roots)` gives one `SignatureVerdict` per signature (valid, untrusted,
invalid, modified); `summarise` reduces them to the document's status and a line for the clerk.
Used on arrival (mailbox) and before dispatch (outbox). Signed PDFs are only ever read.
"""

from typing import Any

from daemon.signatures.roots import TrustRootError, load_trust_roots
from daemon.signatures.verdict import SignatureVerdict, Status, UnreadablePdf, Verdict, summarise

# The check itself loads pyHanko (~20 MB, 0.4 s): only the processes that check signatures
# (the reading processes, `vanthu verify`) import it, on first use of one of these names.
_CHECK = ("SIGNING_KEY_USAGE", "async_check_signatures", "check_signatures")


def __getattr__(name: str) -> Any:
    if name in _CHECK:
        from daemon.signatures import check

        return getattr(check, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SIGNING_KEY_USAGE",
    "SignatureVerdict",
    "Status",
    "TrustRootError",
    "UnreadablePdf",
    "Verdict",
    "async_check_signatures",
    "check_signatures",
    "load_trust_roots",
    "summarise",
]
