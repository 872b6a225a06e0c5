"""Move an install's files from its local folder into the database (``careergini files``).

Switching ``CAREERGINI_FILE_STORAGE`` from ``local`` to ``database`` (to run replicas on several
hosts) needs the files already uploaded in the database too: this copies each one, replacing a
copy already there, so it can run again after an interruption. The folder is left as it was;
remove it once the app runs with ``database``.
"""

from __future__ import annotations

from careergini.config import Settings
from careergini.core.db import create_engine, create_sessionmaker
from careergini.core.storage import DatabaseFileStore, LocalFileStore


async def copy_to_database(*, settings: Settings) -> int:
    """Copy every file of ``<data_dir>/files`` into the database store; return how many."""
    local = LocalFileStore(settings.files_dir)
    engine = create_engine(settings.effective_database_url)
    try:
        database = DatabaseFileStore(create_sessionmaker(engine))
        copied = 0
        root = settings.files_dir
        folders = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        for folder in folders:
            for key in await local.keys(f"{folder}/"):
                data = await local.get(key)
                if data is not None:
                    await database.put(key, data)
                    copied += 1
        return copied
    finally:
        await engine.dispose()
