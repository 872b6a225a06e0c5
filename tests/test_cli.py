"""The ``careergini`` command and ``make run``'s path: a real server on a free port."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import free_port, wait_for

CLI = [sys.executable, "-m", "careergini.cli"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERGINI_")}
    env.update({"CAREERGINI_DATA_DIR": str(tmp_path / "var"), "CAREERGINI_LOG_LEVEL": "WARNING"})
    env.update(extra)
    return env


def test_db_upgrade_creates_the_sqlite_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [*CLI, "db", "upgrade"], env=_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "var" / "careergini.db").is_file()


def test_production_with_defaults_refuses_to_start(tmp_path: Path) -> None:
    result = subprocess.run(
        [*CLI, "serve"],
        env=_env(tmp_path, CAREERGINI_ENV="production"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "CAREERGINI_SECRET_KEY" in result.stderr
    assert "CAREERGINI_DATABASE_URL" in result.stderr


def test_serve_answers_ready_and_registers_a_user(tmp_path: Path) -> None:
    """What a newcomer does after `make run`: health, register, log in, who am I."""
    port = free_port()
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)],
        env=_env(tmp_path, CAREERGINI_OLLAMA_URL="http://127.0.0.1:9"),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: httpx.get(f"{base}/api/health").status_code == 200, timeout=90, what="app")
        # Ready once the embedding model has loaded in the background ("warming" until then).
        wait_for(
            lambda: httpx.get(f"{base}/api/health/ready", timeout=30).status_code == 200,
            timeout=120,
            what="readiness",
        )
        with httpx.Client(base_url=base, timeout=30) as client:
            creds = {"email": "newcomer@example.com", "password": "a long password"}
            assert client.post("/api/auth/register", json=creds).status_code == 201
            login = client.post("/api/auth/login", json=creds)
            assert login.status_code == 200
            me = client.get(
                "/api/auth/me",
                headers={"Authorization": f"Bearer {login.json()['access_token']}"},
            )
            assert me.json()["email"] == "newcomer@example.com"
        assert (tmp_path / "var" / "careergini.db").is_file()
        assert (tmp_path / "var" / "chroma").is_dir()
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode(errors="replace")
    # Logs are JSON lines and never carry the email in clear.
    assert "newcomer@example.com" not in output
