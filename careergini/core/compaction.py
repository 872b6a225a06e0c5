"""Leave no deleted text in the embedded stack's files once an account is erased.

- The app's SQLite: every connection runs with ``secure_delete`` (core.db), so a deleted row is
  zeroed where it was. Older frames of the write-ahead log still hold the rows as they were
  written; :func:`compact_sqlite` checkpoints the log into the database and truncates it.
- Embedded Chroma (``<data_dir>/chroma/chroma.sqlite3``): a deleted record's text stays in
  Chroma's own log of writes (``embeddings_queue``, purged only once the vector index has been
  saved, every 1,000 writes of a collection), in the full-text index's segments until they merge,
  and in free pages. :func:`compact_embedded_chroma` blanks the owner's entries in that log (the
  metadata index has read them already; the vector index only needs the vectors), merges the
  full-text index and rewrites the file (``VACUUM``).

What this cannot reach is in the README (Deletion): the vector index files keep the numbers
(not the text) of deleted vectors in slots marked free until they are reused; a Chroma server
and PostgreSQL run elsewhere and compact on their own schedule.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

CHROMA_DATABASE = "chroma.sqlite3"


def compact_sqlite(path: Path) -> bool:
    """Fold the write-ahead log into the database and empty it; say whether it all went."""
    if not path.is_file():
        return True
    with closing(sqlite3.connect(path, timeout=30)) as conn:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return bool(busy == 0)


def compact_embedded_chroma(path: Path, *, owner_id: str) -> int:
    """Blank the owner's text in Chroma's write log, merge its full-text index and VACUUM.

    Return how many log entries were blanked.
    """
    database = path / CHROMA_DATABASE
    if not database.is_file():
        return 0
    with closing(sqlite3.connect(database, timeout=30, isolation_level=None)) as conn:
        conn.execute("PRAGMA secure_delete=ON")
        blanked = conn.execute(
            "UPDATE embeddings_queue SET metadata = NULL WHERE metadata IS NOT NULL "
            "AND json_valid(metadata) AND json_extract(metadata, '$.owner_id') = ?",
            (owner_id,),
        ).rowcount
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "embedding_fulltext_search" in tables:
            conn.execute(
                "INSERT INTO embedding_fulltext_search(embedding_fulltext_search) "
                "VALUES ('optimize')"
            )
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return int(blanked)
