"""The history store: one SQLite file, crash-safe (stdlib sqlite3, no Qt)."""
