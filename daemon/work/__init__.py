"""The work core that both wings plug into (incoming `ingest/`, outgoing `dispatch/`).

What every wing shares, and nothing that belongs to one of them:

- `spool`, `stage`: bytes copied durably into the spool under their SHA-256 and a job row
  committed, before the source acknowledges anything (DESIGN principle 1);
- `setaside`: files that are not registered end in `failed/` with a reason, or in
  `quarantine/`;
- `source`, `folder`: the Source contract, and a watched folder that stages what is dropped
  into it (the scanner inbox and the outbox are two instances);
- `job`, `loop`, `triage`: the job loop that claims jobs, runs the handler registered for
  each kind and turns every exception into an outcome;
- `parts`: the shared parts, built once, and the Wing a package returns to plug in.

A new source or a new job kind is a class in its own wing: nothing here changes.
"""
