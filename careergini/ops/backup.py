"""Back up and restore one install: its database, uploaded files and (optionally) secret key.

A backup is a directory ``careergini-<UTC time>/`` holding:

- ``database.sqlite3`` (embedded install: SQLite's online backup API, consistent while the app
  runs) or ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom``, one snapshot);
- ``files/``: a copy of ``<data_dir>/files`` (uploads and generated documents) when files are
  kept there (``CAREERGINI_FILE_STORAGE=local``); with ``database`` they are rows of the
  database (table ``stored_files``), so its dump holds them and ``files/`` stays empty;
- ``secret_key``: only with ``--include-secret`` (the key signs logins; losing it only signs
  everyone out, and a backup that holds it must be guarded like the key itself);
- ``manifest.json``: format, app version, database kind and alembic revision, and every file's
  size and SHA-256. A restore refuses a backup whose files do not match it.

Vectors are not copied: a running Chroma cannot be snapshotted consistently with the database,
and every vector is derived from the database, so a restore rebuilds them (``reindex``).

The database is copied before the files: a file uploaded meanwhile is only an extra file in the
backup, never a row without its file (a deletion meanwhile can leave that, rarely: back up at a
quiet hour).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from careergini import __version__
from careergini.config import FileStorage, Settings, ensure_signing_key
from careergini.core.db import sync_database_url
from careergini.core.migrate import alembic_config

FORMAT = "careergini-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PGDUMP_FILE = "database.pgdump"
FILES_DIR = "files"
SECRET_FILE = "secret_key"
NAME_PATTERN = re.compile(r"^careergini-\d{8}T\d{6}(\d{6})?Z$")
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore cannot proceed; the message says why and what to do."""


@dataclass
class Entry:
    path: str
    size: int
    sha256: str


@dataclass
class Manifest:
    database: str  # "sqlite" or "postgresql"
    alembic_revision: str | None
    created_at: str
    app_version: str = __version__
    format: str = FORMAT
    version: int = FORMAT_VERSION
    secret_key_included: bool = False
    vectors: str = "not copied: `careergini restore` rebuilds them from the database"
    # Where the install kept its files: "local" (files/ here) or "database" (in the dump).
    file_storage: str = FileStorage.LOCAL.value
    files: list[Entry] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data: dict[str, Any] = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BackupError(
                f"{path} is not a CareerGini backup (no readable {MANIFEST})"
            ) from exc
        if data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
            raise BackupError(
                f"{path}: backup format {data.get('format')} v{data.get('version')} is not "
                f"{FORMAT} v{FORMAT_VERSION}; restore it with the CareerGini version that made it"
            )
        entries = [Entry(**entry) for entry in data.pop("files", [])]
        return cls(**data, files=entries)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _database_kind(settings: Settings) -> str:
    backend = make_url(settings.effective_database_url).get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise BackupError(f"cannot back up a {backend} database (SQLite or PostgreSQL only)")
    return backend


def _sqlite_path(settings: Settings) -> Path:
    database = make_url(settings.effective_database_url).database
    if not database or database == ":memory:":
        raise BackupError("the SQLite database is in memory: there is nothing to back up")
    return Path(database)


def _libpq(settings: Settings) -> tuple[str, dict[str, str]]:
    """Return a libpq URL without the password, and an environment carrying it (not in `ps`)."""
    url: URL = make_url(settings.effective_database_url).set(drivername="postgresql")
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return url.set(password=None).render_as_string(hide_password=False), env


def _revision(settings: Settings) -> str | None:
    engine = create_engine(sync_database_url(settings.effective_database_url))
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def _has_users(settings: Settings) -> bool:
    if _database_kind(settings) == "sqlite" and not _sqlite_path(settings).exists():
        return False  # a fresh install: not even the file yet
    engine = create_engine(sync_database_url(settings.effective_database_url))
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("users"):
                return False
            return bool(conn.execute(text("SELECT 1 FROM users LIMIT 1")).first())
    finally:
        engine.dispose()


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client tools of the server's "
            "major version (Debian: apt-get install postgresql-client)"
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout


def _check_client_version(tool: str, settings: Settings) -> None:
    """pg_dump refuses a newer server; say so before a half-written dump does."""
    _, env = _libpq(settings)
    client = _run([tool, "--version"], env, f"{tool} --version")
    match = re.search(r"(\d+)(?:\.\d+)?", client)
    engine = create_engine(sync_database_url(settings.effective_database_url))
    try:
        with engine.connect() as conn:
            server = int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    finally:
        engine.dispose()
    if match is None or int(match.group(1)) < server:
        raise BackupError(
            f"{tool} is {client.strip()!r} but the server is PostgreSQL {server}: install the "
            f"client tools of version {server} or newer"
        )


def _backup_database(settings: Settings, work: Path) -> None:
    if _database_kind(settings) == "sqlite":
        source = _sqlite_path(settings)
        if not source.is_file():
            raise BackupError(f"no database at {source}: run `careergini db upgrade` first")
        src, dst = sqlite3.connect(source), sqlite3.connect(work / SQLITE_FILE)
        try:
            src.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()
            # One self-contained file: the copy inherits WAL mode, whose side files would come
            # and go after the manifest lists them.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            src.close()
            dst.close()
        if not ok or ok[0] != "ok":
            raise BackupError(f"the copied database failed SQLite's integrity check: {ok}")
        return
    _check_client_version("pg_dump", settings)
    url, env = _libpq(settings)
    _run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(work / PGDUMP_FILE), url],
        env,
        "pg_dump",
    )


def _copy_files(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, symlinks=False)
    else:
        target.mkdir()


def _entries(work: Path) -> list[Entry]:
    return [
        Entry(
            path=path.relative_to(work).as_posix(), size=path.stat().st_size, sha256=_sha256(path)
        )
        for path in sorted(work.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    ]


def prune(destination: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``destination``; return the deleted ones."""
    backups = sorted(p for p in destination.iterdir() if p.is_dir() and NAME_PATTERN.match(p.name))
    old = backups[: max(0, len(backups) - keep)]
    for path in old:
        shutil.rmtree(path)
    return old


def create_backup(
    *,
    settings: Settings,
    destination: Path,
    include_secret: bool = False,
    keep: int | None = None,
    now: datetime | None = None,
) -> Path:
    """Write one consistent backup under ``destination``; return its directory."""
    kind = _database_kind(settings)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    target = destination / f"careergini-{stamp}"
    work = destination / f".{target.name}.partial"
    if target.exists():
        raise BackupError(f"{target} already exists")
    destination.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(mode=0o700)
    try:
        revision = _revision(settings)
        _backup_database(settings, work)
        _copy_files(settings.files_dir, work / FILES_DIR)
        if include_secret:
            # The embedded install's own key lives in data_dir/secret_key, not in the settings
            # until this reads it.
            ensure_signing_key(settings)
            secret = work / SECRET_FILE
            secret.write_text(settings.secret_key + "\n", encoding="utf-8")
            secret.chmod(0o600)
        manifest = Manifest(
            database=kind,
            alembic_revision=revision,
            created_at=(now or datetime.now(UTC)).isoformat(),
            secret_key_included=include_secret,
            file_storage=settings.file_storage.value,
            files=_entries(work),
        )
        (work / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
        work.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if keep is not None:
        prune(destination, keep=keep)
    return target


def verify_backup(source: Path) -> Manifest:
    """Return the backup's manifest once every file matches its size and checksum."""
    manifest = Manifest.read(source)
    listed = {entry.path for entry in manifest.files}
    for entry in manifest.files:
        path = source / entry.path
        if not path.is_file():
            raise BackupError(f"{source}: {entry.path} is missing: the backup is incomplete")
        if path.stat().st_size != entry.size or _sha256(path) != entry.sha256:
            raise BackupError(f"{source}: {entry.path} does not match its checksum: damaged")
    extra = [
        p.relative_to(source).as_posix()
        for p in source.rglob("*")
        if p.is_file() and p.name != MANIFEST and p.relative_to(source).as_posix() not in listed
    ]
    if extra:
        raise BackupError(f"{source}: files not in the manifest: {', '.join(sorted(extra)[:5])}")
    return manifest


def _check_revision(settings: Settings, manifest: Manifest) -> None:
    """Refuse a backup whose schema is newer than this version of CareerGini knows."""
    if manifest.alembic_revision is None:
        return
    scripts = ScriptDirectory.from_config(alembic_config(settings.effective_database_url))
    known = {script.revision for script in scripts.walk_revisions()}
    if manifest.alembic_revision not in known:
        raise BackupError(
            f"the backup's database is at migration {manifest.alembic_revision}, which this "
            f"CareerGini ({__version__}) does not know: restore it with the version that made "
            f"it ({manifest.app_version}) or a newer one"
        )


def _ensure_empty(settings: Settings, *, force: bool) -> None:
    if force:
        return
    if _has_users(settings):
        raise BackupError(
            "the target database already has accounts: restore into an empty install, or pass "
            "--force to replace its data with the backup's"
        )
    if settings.files_dir.is_dir() and any(settings.files_dir.iterdir()):
        raise BackupError(
            f"{settings.files_dir} is not empty: restore into an empty install, or pass --force"
        )


def _restore_database(settings: Settings, source: Path, manifest: Manifest) -> None:
    kind = _database_kind(settings)
    if manifest.database != kind:
        raise BackupError(
            f"this is a {manifest.database} backup and the install uses {kind}: restore it into "
            f"an install with CAREERGINI_DATABASE_URL of the same kind"
        )
    if kind == "sqlite":
        target = _sqlite_path(settings)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".restoring")
        # A plain copy: opening the backup with SQLite would write beside it (a read-only mount).
        shutil.copyfile(source / SQLITE_FILE, partial)
        for suffix in ("-wal", "-shm"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        partial.replace(target)
        return
    _check_client_version("pg_restore", settings)
    url, env = _libpq(settings)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--dbname",
            url,
            str(source / PGDUMP_FILE),
        ],
        env,
        "pg_restore",
    )


def _restore_secret(settings: Settings, source: Path, manifest: Manifest) -> str | None:
    """Put the backup's key where the embedded install reads it; return a note for the operator."""
    if not manifest.secret_key_included:
        return None
    key = (source / SECRET_FILE).read_text(encoding="utf-8").strip()
    if settings.is_production or os.environ.get("CAREERGINI_SECRET_KEY"):
        if key != settings.secret_key:
            return (
                "the backup's secret key differs from CAREERGINI_SECRET_KEY: logins will be reset"
            )
        return None
    path = settings.data_dir / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
    settings.secret_key = key
    return None


def restore_backup(*, settings: Settings, source: Path, force: bool = False) -> list[str]:
    """Restore the database, files and secret key of a verified backup; return notes."""
    manifest = verify_backup(source)
    _check_revision(settings, manifest)
    if manifest.file_storage != settings.file_storage.value:
        raise BackupError(
            f"this backup keeps its files in {manifest.file_storage} storage and the install uses "
            f"{settings.file_storage.value}: set CAREERGINI_FILE_STORAGE={manifest.file_storage} "
            f"to restore it"
        )
    _ensure_empty(settings, force=force)
    _restore_database(settings, source, manifest)
    if settings.files_dir.exists():
        shutil.rmtree(settings.files_dir)
    settings.files_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / FILES_DIR, settings.files_dir)
    note = _restore_secret(settings, source, manifest)
    return [note] if note else []
