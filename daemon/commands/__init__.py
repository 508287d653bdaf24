"""The handlers behind each `vanthu` command (one module per group)."""
