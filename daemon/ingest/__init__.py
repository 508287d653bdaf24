"""Incoming sources (scanner folder, mailbox) and the incoming pipeline."""
