"""Accounts benchmark: what signing in costs, and reading the audit log.

    python benchmarks/bench_accounts.py [--runs 20] [--events 20000]

Through the real app (SQLite, in-process cache) over httpx's ASGI transport:
1. a password login (argon2id verification, the throttle, the audit row, the tokens);
2. a whole OpenID Connect sign-in: start, the provider double on loopback (discovery, JWKS and
   token endpoint over real HTTP, an RS256 ID token), the callback with its checks, the tokens;
3. the ID-token check alone, with the provider's keys cached;
4. a TOTP code check;
5. an admin's page of 100 audit events, newest first, with ``--events`` events in the table.
Each: p50 / p95 over ``--runs`` runs (the audit page and the checks over more).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pyotp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from careergini.app import create_app  # noqa: E402
from careergini.config import Settings  # noqa: E402
from careergini.core import migrate  # noqa: E402
from careergini.core.db import utcnow  # noqa: E402
from careergini.gateway.audit.models import AuditEvent  # noqa: E402
from careergini.gateway.auth import oidc, totp  # noqa: E402
from careergini.runtime.resources import build_resources  # noqa: E402
from tests.doubles.oidc import Grant, OIDCDouble, Person  # noqa: E402

PASSWORD = "correct horse battery staple"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


async def timed(runs: int, step: Callable[[int], Awaitable[object]]) -> list[float]:
    seconds = []
    for n in range(runs):
        started = time.perf_counter()
        await step(n)
        seconds.append(time.perf_counter() - started)
    return seconds


def row(name: str, seconds: list[float]) -> str:
    p50, p95 = statistics.median(seconds) * 1e3, percentile(seconds, 0.95) * 1e3
    return f"{name:<44} {p50:>10.2f} {p95:>10.2f} {len(seconds):>6}"


async def run(args: argparse.Namespace, workdir: Path) -> None:
    with OIDCDouble(client_id="bench", client_secret="bench-secret") as idp:
        settings = Settings(
            _env_file=None,
            env="test",
            data_dir=workdir / "var",
            database_url=f"sqlite:///{workdir / 'bench.db'}",
            log_level="WARNING",
            secret_key="bench-" + "x" * 40,
            ollama_url="http://127.0.0.1:9",
            rate_limit_per_minute=1_000_000,
            public_url="http://bench",
            oidc_issuer=idp.url,
            oidc_client_id=idp.client_id,
            oidc_client_secret=idp.client_secret,
        )
        migrate.upgrade(settings.effective_database_url)
        resources = build_resources(settings)
        app = create_app(resources=resources)
        rows: list[str] = []
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with (
                httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
                httpx.AsyncClient() as browser,
            ):
                creds = {"email": "admin@example.org", "password": PASSWORD}
                admin_id = (await client.post("/api/auth/register", json=creds)).json()["id"]

                async def password_login(_: int) -> None:
                    client.cookies.clear()
                    answer = await client.post("/api/auth/login", json=creds)
                    assert answer.status_code == 200, answer.text

                await password_login(0)
                rows.append(row("password login", await timed(args.runs, password_login)))

                async def provider_sign_in(n: int) -> None:
                    idp.person = Person(subject=f"bench-{n}", email=f"sso-{n}@example.org")
                    client.cookies.clear()
                    start = await client.get("/api/auth/oidc/oidc/start")
                    at_provider = await browser.get(start.headers["location"])
                    back = urlsplit(at_provider.headers["location"])
                    done = await client.get(f"{back.path}?{back.query}")
                    assert done.cookies.get("cg_access"), done.headers

                await provider_sign_in(-1)
                rows.append(
                    row(
                        "OIDC sign-in (new account each run)",
                        await timed(args.runs, provider_sign_in),
                    )
                )

                checker = oidc.OIDCClient(resources.http)
                provider = oidc.configured_providers(settings)[0]
                token = idp.id_token(Grant(idp.client_id, "r", "nonce", None, Person()))
                await checker.verify_id_token(provider, token, nonce="nonce")

                async def verify(_: int) -> None:
                    await checker.verify_id_token(provider, token, nonce="nonce")

                rows.append(row("ID-token check (keys cached)", await timed(200, verify)))
                secret = totp.new_secret()
                code = pyotp.TOTP(secret).now()

                async def check_code(_: int) -> None:
                    assert totp.matching_step(secret, code, last_step=None) is not None

                rows.append(row("TOTP code check", await timed(1000, check_code)))

                async with resources.sessionmaker() as session:
                    now = utcnow()
                    session.add_all(
                        AuditEvent(
                            event="login.succeeded",
                            user_id=uuid.uuid4(),
                            ip="192.0.2.1",
                            at=now - timedelta(seconds=n),
                            detail={"method": "password"},
                        )
                        for n in range(args.events)
                    )
                    await session.commit()
                client.cookies.clear()
                login = await client.post("/api/auth/login", json=creds)
                headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

                async def audit_page(_: int) -> None:
                    page = await client.get("/api/admin/audit?limit=100", headers=headers)
                    assert page.status_code == 200 and len(page.json()["events"]) == 100

                rows.append(
                    row(f"admin audit page (100 of {args.events:,})", await timed(50, audit_page))
                )
                assert admin_id
        await resources.aclose()
    print(f"{'':<44} {'p50 ms':>10} {'p95 ms':>10} {'runs':>6}")
    for line in rows:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()
    print(f"Accounts benchmark: SQLite, in-process cache; {os.cpu_count()} CPUs, load {load()}")
    with tempfile.TemporaryDirectory() as workdir:
        asyncio.run(run(args, Path(workdir)))


if __name__ == "__main__":
    main()
