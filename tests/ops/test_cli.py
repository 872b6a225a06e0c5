"""`careergini backup` / `careergini restore` as an operator runs them (embedded install)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.test_cli import _env

CLI = [sys.executable, "-m", "careergini.cli"]


def _run(tmp_path: Path, data_dir: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        env=_env(tmp_path, CAREERGINI_DATA_DIR=str(tmp_path / data_dir)),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_backup_then_restore_into_an_empty_install(tmp_path: Path) -> None:
    assert _run(tmp_path, "old", "db", "upgrade").returncode == 0
    upload = tmp_path / "old" / "files" / "u1" / "imports" / "resume.txt"
    upload.parent.mkdir(parents=True)
    upload.write_text("Jane Doe, Python developer")

    made = _run(tmp_path, "old", "backup", str(tmp_path / "backups"), "--include-secret")
    assert made.returncode == 0, made.stderr
    (folder,) = (tmp_path / "backups").iterdir()
    assert made.stdout.strip() == f"backup written to {folder}"

    restored = _run(tmp_path, "new", "restore", str(folder))
    assert restored.returncode == 0, restored.stderr
    assert "vectors rebuilt (0 profile chunks, 0 job postings)" in restored.stdout
    new = tmp_path / "new"
    assert (new / "files" / "u1" / "imports" / "resume.txt").read_text() == upload.read_text()
    assert (new / "secret_key").read_text() == (tmp_path / "old" / "secret_key").read_text()
    assert (new / "careergini.db").is_file()

    (folder / "files" / "u1" / "imports" / "resume.txt").write_text("changed")
    damaged = _run(tmp_path, "newer", "restore", str(folder))
    assert damaged.returncode != 0
    assert "does not match its checksum" in damaged.stderr
    assert not (tmp_path / "newer" / "files").exists()


def test_backup_keeps_the_newest(tmp_path: Path) -> None:
    assert _run(tmp_path, "var", "db", "upgrade").returncode == 0
    for _ in range(3):
        done = _run(tmp_path, "var", "backup", str(tmp_path / "b"), "--keep", "2")
        assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "b").iterdir())) == 2


def test_files_copy_to_database_moves_an_installs_uploads(tmp_path: Path) -> None:
    assert _run(tmp_path, "var", "db", "upgrade").returncode == 0
    files = tmp_path / "var" / "files"
    uploads = {
        "u1/imports/resume.pdf": b"%PDF-1.7 \x00\xff",
        "u1/jobs/list.csv": b"title,company\nEngineer,Acme\n",
        "u2/imports/cv.txt": b"Jane Doe",
    }
    for key, data in uploads.items():
        (files / key).parent.mkdir(parents=True, exist_ok=True)
        (files / key).write_bytes(data)
    for _ in range(2):  # a second run replaces, never duplicates
        copied = _run(tmp_path, "var", "files", "copy-to-database")
        assert copied.returncode == 0, copied.stderr
        assert copied.stdout.startswith("copied 3 files")
    with sqlite3.connect(tmp_path / "var" / "careergini.db") as conn:
        rows = dict(conn.execute("SELECT key, data FROM stored_files").fetchall())
    assert rows == uploads
