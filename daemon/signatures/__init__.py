"""Checks of the digital signatures embedded in PDFs (ND30 Điều 21: authenticity, integrity).

`check_signatures(data, roots)` gives one `SignatureVerdict` per signature (valid, untrusted,
invalid, modified); `summarise` reduces them to the document's status and a line for the clerk.
Used on arrival (mailbox) and before dispatch (outbox). Signed PDFs are only ever read.
"""

from daemon.signatures.check import (
    SIGNING_KEY_USAGE,
    UnreadablePdf,
    async_check_signatures,
    check_signatures,
)
from daemon.signatures.roots import TrustRootError, load_trust_roots
from daemon.signatures.verdict import SignatureVerdict, Status, Verdict, summarise

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
