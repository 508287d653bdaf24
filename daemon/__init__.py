"""vanthu: the clerk's-office service (công tác văn thư) for a Vietnamese state office."""

__version__ = "0.2.0"
