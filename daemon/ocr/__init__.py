"""Reading: bytes -> text lines with positions -> register fields. Knows no register, no sources."""
