"""Outgoing documents: outbox, signature checks, recipients, SMTP delivery."""
