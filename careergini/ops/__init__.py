"""Operating an install: backups and restores (``careergini backup`` / ``careergini restore``)."""
