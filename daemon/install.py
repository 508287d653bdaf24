"""The folders of an install, as `vanthu init` and `vanthu restore` lay them out."""

from __future__ import annotations

import os

from daemon.config import Settings


def lay_out(settings: Settings) -> None:
    """Make the install's folders; the spool and quarantine readable by the service only
    (a secret document passes through them)."""
    paths = settings.paths
    for folder in (
        paths.inbox,
        paths.outbox,
        paths.sent,
        paths.archive,
        paths.processed,
        paths.failed,
        paths.exports,
        settings.trust.roots_dir,
        settings.base_dir / "var",
    ):
        folder.mkdir(parents=True, exist_ok=True)
    for private in (paths.quarantine, paths.spool):
        private.mkdir(parents=True, exist_ok=True)
        os.chmod(private, 0o700)
