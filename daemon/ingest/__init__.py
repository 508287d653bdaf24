"""The incoming wing (văn bản đến): its sources (the scanner folder, the official mailbox), the
handler that reads and registers what they stage, and the later full-text pass.
`daemon.ingest.wing.incoming` plugs it into the service."""

INCOMING = "ingest"  # the job kind of a document received (scan, mail attachment, CLI)
FULLTEXT = "fulltext"  # the job kind of a registered scan's body, read later for search
