"""Settings: the embedded default, production's refusals, and .env.example kept complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from careergini.config import DEFAULT_SECRET_KEY, Settings, ensure_signing_key

ROOT = Path(__file__).resolve().parents[1]
STRONG = "s" * 40


def test_embedded_default_uses_sqlite_under_var() -> None:
    settings = Settings(_env_file=None)
    assert settings.effective_database_url == "sqlite:///var/careergini.db"
    assert settings.redis_url == "" and settings.chroma_url == ""
    assert settings.chroma_path == Path("var/chroma")
    assert settings.secure_cookies is False


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ValidationError, match="CAREERGINI_SECRET_KEY"):
        Settings(
            _env_file=None,
            env="production",
            secret_key=DEFAULT_SECRET_KEY,
            database_url="postgresql://u:p@db/x",
        )


def test_production_refuses_sqlite() -> None:
    with pytest.raises(ValidationError, match="CAREERGINI_DATABASE_URL"):
        Settings(_env_file=None, env="production", secret_key=STRONG)


def test_production_refuses_a_weak_password_hash() -> None:
    with pytest.raises(ValidationError, match="CAREERGINI_PASSWORD_HASH_MEMORY_KIB"):
        Settings(
            _env_file=None,
            env="production",
            secret_key=STRONG,
            database_url="postgresql://u:p@db/x",
            password_hash_memory_kib=8192,
        )


def test_password_hashes_follow_the_configured_cost_and_older_ones_still_verify() -> None:
    from careergini.core import security

    security.configure_password_hashing(memory_kib=65536, time_cost=3)
    strong = security.hash_password("a long enough password")
    assert "m=65536,t=3" in strong
    try:
        security.configure_password_hashing(memory_kib=8192, time_cost=1)
        cheap = security.hash_password("a long enough password")
        assert "m=8192,t=1" in cheap
        assert security.verify_password(strong, "a long enough password")
        assert not security.verify_password(strong, "another password")
        assert security.needs_rehash(strong) and not security.needs_rehash(cheap)
    finally:
        security.configure_password_hashing(memory_kib=8192, time_cost=1)


def test_production_with_postgres_and_a_real_secret_starts() -> None:
    settings = Settings(
        _env_file=None, env="production", secret_key=STRONG, database_url="postgresql://u:p@db/x"
    )
    assert settings.secure_cookies is True


def test_environment_variables_and_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("CAREERGINI_REDIS_URL=redis://from-file:6379/0\nCAREERGINI_PORT=9000\n")
    monkeypatch.setenv("CAREERGINI_PORT", "9100")
    monkeypatch.setenv("CAREERGINI_CORS_ORIGINS", "https://a.example/, https://b.example")
    settings = Settings(_env_file=env_file)
    assert settings.redis_url == "redis://from-file:6379/0"
    assert settings.port == 9100  # the environment wins over the file
    assert settings.cors_origins == ["https://a.example", "https://b.example"]


def test_env_example_documents_every_setting_and_nothing_else() -> None:
    documented = set(
        re.findall(r"^(CAREERGINI_[A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    expected = {f"CAREERGINI_{name.upper()}" for name in Settings.model_fields}
    assert documented == expected


def test_env_example_values_are_valid_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith("CAREERGINI_"):
            name, _, value = line.partition("=")
            monkeypatch.setenv(name, value)
    settings = Settings(_env_file=None)
    assert settings.rate_limit_per_minute == 100


def test_development_replaces_the_placeholder_secret_with_its_own(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, secret_key=DEFAULT_SECRET_KEY)
    ensure_signing_key(settings)
    key = settings.secret_key
    assert key != DEFAULT_SECRET_KEY and len(key) >= 32
    stored = tmp_path / "secret_key"
    assert stored.read_text().strip() == key
    assert stored.stat().st_mode & 0o777 == 0o600
    # A restart reads the same key back: logins survive it.
    again = Settings(_env_file=None, data_dir=tmp_path, secret_key=DEFAULT_SECRET_KEY)
    ensure_signing_key(again)
    assert again.secret_key == key
    # A damaged file is replaced by a new key, not used.
    stored.write_text("short\n")
    fixed = Settings(_env_file=None, data_dir=tmp_path, secret_key=DEFAULT_SECRET_KEY)
    ensure_signing_key(fixed)
    assert len(fixed.secret_key) >= 32 and fixed.secret_key != key
    assert stored.read_text().strip() == fixed.secret_key


def test_an_explicit_secret_is_kept_and_nothing_is_written(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, secret_key=STRONG)
    ensure_signing_key(settings)
    assert settings.secret_key == STRONG
    assert not (tmp_path / "secret_key").exists()
