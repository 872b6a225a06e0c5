"""The ``careergini`` command: serve the app, migrate the database, install the LLM models,
back up and restore an install, check the learning resources' links."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from pydantic import ValidationError

from careergini.config import Settings, get_settings

# Each command imports its heavy modules inside its function (start-up speed): `--help`, `db`
# and `models` never load the web app (about 3 s); `--help` loads neither alembic nor ollama.


def _settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        messages = "; ".join(err["msg"].removeprefix("Value error, ") for err in exc.errors())
        sys.exit(f"careergini: invalid settings: {messages}")


def _positive_int(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError("must be from 1 to 64")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not 0 < value <= 300:
        raise argparse.ArgumentTypeError("must be above 0 and at most 300 seconds")
    return value


def _serve(args: argparse.Namespace) -> None:
    import uvicorn  # noqa: PLC0415 - start-up speed

    from careergini.app import create_app  # noqa: PLC0415 - start-up speed

    settings = _settings()
    if args.migrate:
        from careergini.core import migrate  # noqa: PLC0415 - start-up speed (alembic)

        migrate.upgrade(settings.effective_database_url)
    uvicorn.run(
        create_app(settings),
        host=args.host or settings.host,
        port=args.port or settings.port,
        proxy_headers=args.proxy_headers,
        # Behind nginx on the compose network only the proxy can reach the app.
        forwarded_allow_ips="*" if args.proxy_headers else None,
        access_log=False,
        log_config=None,
    )


def _db(args: argparse.Namespace) -> None:
    from careergini.core import migrate  # noqa: PLC0415 - start-up speed (alembic)

    url = _settings().effective_database_url
    if args.action == "upgrade":
        migrate.upgrade(url, args.revision or "heads")
        print("database is up to date")
    elif args.action == "downgrade":
        migrate.downgrade(url, args.revision or "-1")
    else:
        migrate.current(url)


def _models(args: argparse.Namespace) -> None:
    from careergini.llm import models_cli  # noqa: PLC0415 - start-up speed (the model client)

    sys.exit(models_cli.main(_settings(), force=args.force))


def _backup(args: argparse.Namespace) -> None:
    from careergini.ops import backup  # noqa: PLC0415 - start-up speed

    try:
        path = backup.create_backup(
            settings=_settings(),
            destination=Path(args.destination),
            include_secret=args.include_secret,
            keep=args.keep,
        )
    except backup.BackupError as exc:
        sys.exit(f"careergini backup: {exc}")
    print(f"backup written to {path}")


async def _reindex(settings: Settings) -> str:
    from careergini.ops import reindex  # noqa: PLC0415 - start-up speed (the embedder)
    from careergini.runtime.resources import build_resources  # noqa: PLC0415 - start-up speed

    resources = build_resources(settings)
    try:
        # Per-user entries were computed from the data just replaced (revoked-token entries
        # and rate-limit windows stay).
        await resources.cache.delete_prefix("user:")
        await resources.cache.delete_prefix("jobs:index:")
        done = await reindex.reindex_all(resources=resources)
        return f"{done.profile_chunks} profile chunks, {done.postings} job postings"
    finally:
        await resources.aclose()


def _restore(args: argparse.Namespace) -> None:
    from careergini.core import migrate  # noqa: PLC0415 - start-up speed (alembic)
    from careergini.ops import backup  # noqa: PLC0415 - start-up speed

    settings = _settings()
    try:
        notes = backup.restore_backup(settings=settings, source=Path(args.source), force=args.force)
    except backup.BackupError as exc:
        sys.exit(f"careergini restore: {exc}")
    migrate.upgrade(settings.effective_database_url)
    vectors = asyncio.run(_reindex(settings))
    for note in notes:
        print(f"note: {note}")
    print(f"restored {args.source}; vectors rebuilt ({vectors})")


def _files(args: argparse.Namespace) -> None:
    from careergini.ops import files  # noqa: PLC0415 - start-up speed

    settings = _settings()
    copied = asyncio.run(files.copy_to_database(settings=settings))
    print(
        f"copied {copied} files from {settings.files_dir} into the database; set "
        "CAREERGINI_FILE_STORAGE=database and restart the app"
    )


def _links(args: argparse.Namespace) -> None:
    import json  # noqa: PLC0415 - start-up speed
    from datetime import UTC, datetime  # noqa: PLC0415 - start-up speed

    from careergini.learning import service as links  # noqa: PLC0415 - start-up speed

    settings = _settings()
    if args.file:
        try:
            doc = json.loads(Path(args.file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            sys.exit(f"careergini links: cannot read {args.file}: {exc}")
    else:
        doc = links.read_data_file("resources.json")
    started = datetime.now(UTC)
    checks = asyncio.run(
        links.check_catalogue(
            doc, settings=settings, concurrency=args.concurrency, seconds=args.timeout
        )
    )
    report = Path(args.report) if args.report else links.link_report_path(settings.data_dir)
    links.write_link_report(report, checks, checked_at=started.isoformat(timespec="seconds"))
    broken = [c for c in checks if c.broken]
    moved = [c for c in checks if c.status == "redirected"]
    for check in broken:
        print(f"{check.status.upper()} {check.resource_id}: {check.url} ({check.detail})")
    if args.verbose:
        for check in moved:
            print(f"REDIRECTED {check.resource_id}: {check.url} -> {check.final_url}")
    seconds = (datetime.now(UTC) - started).total_seconds()
    print(
        f"{len(checks)} links checked in {seconds:.1f} s: {len(checks) - len(broken)} alive "
        f"({len(moved)} redirected), {len(broken)} broken; report: {report}"
    )
    sys.exit(1 if broken else 0)


def _users(args: argparse.Namespace) -> None:
    from careergini.core.errors import AppError  # noqa: PLC0415 - start-up speed
    from careergini.ops import users  # noqa: PLC0415 - start-up speed

    try:
        done = asyncio.run(
            users.set_role(settings=_settings(), email=args.email, admin=args.action == "promote")
        )
    except (LookupError, AppError) as exc:
        sys.exit(f"careergini users: {exc}")
    print(done)


def _mcp(args: argparse.Namespace) -> None:
    import os  # noqa: PLC0415 - start-up speed

    import careergini.models  # noqa: F401, PLC0415 - every table, so foreign keys resolve
    from careergini.core.logging import configure_logging, pseudonym_key  # noqa: PLC0415
    from careergini.mcp_server.stdio import serve_stdio  # noqa: PLC0415 - start-up speed

    token = os.environ.get("CAREERGINI_MCP_TOKEN", "").strip()
    if not token:
        sys.exit(
            "careergini mcp: set CAREERGINI_MCP_TOKEN to a personal access token "
            "(made in the app under Account > Access tokens)"
        )
    from careergini.config import ensure_signing_key  # noqa: PLC0415

    settings = _settings()
    ensure_signing_key(settings)
    # stdout carries the protocol: every log line goes to stderr.
    configure_logging(
        level=settings.log_level,
        json_logs=settings.log_json,
        user_key=pseudonym_key(settings.secret_key),
        stream=sys.stderr,
    )
    problem = asyncio.run(serve_stdio(settings=settings, token=token))
    if problem:
        sys.exit(f"careergini mcp: {problem}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="careergini", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web app")
    serve.add_argument("--host", default=None, help="bind address (default CAREERGINI_HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (default CAREERGINI_PORT)")
    serve.add_argument(
        "--proxy-headers", action="store_true", help="trust X-Forwarded-* (behind nginx)"
    )
    serve.add_argument(
        "--no-migrate", dest="migrate", action="store_false", help="skip `db upgrade` at start"
    )
    serve.set_defaults(func=_serve)

    db = commands.add_parser("db", help="database migrations")
    db.add_argument("action", choices=["upgrade", "downgrade", "current"])
    db.add_argument("revision", nargs="?", help="target revision (default head / -1)")
    db.set_defaults(func=_db)

    models = commands.add_parser(
        "models", help="pull the models of models/models.yaml and build the tuned ones (Ollama)"
    )
    models.add_argument("--force", action="store_true", help="rebuild tuned models if present")
    models.set_defaults(func=_models)

    backup = commands.add_parser(
        "backup", help="write a backup (database, uploaded files, manifest with checksums)"
    )
    backup.add_argument("destination", help="directory that receives careergini-<time>/")
    backup.add_argument(
        "--include-secret", action="store_true", help="also copy the secret key (guard it!)"
    )
    backup.add_argument("--keep", type=int, default=None, help="then keep only the newest N")
    backup.set_defaults(func=_backup)

    restore = commands.add_parser(
        "restore", help="restore a backup into this (empty) install, then rebuild the vectors"
    )
    restore.add_argument("source", help="a careergini-<time>/ directory written by `backup`")
    restore.add_argument(
        "--force", action="store_true", help="replace an install that already has data"
    )
    restore.set_defaults(func=_restore)

    files = commands.add_parser(
        "files", help="copy the uploaded files from the data folder into the database"
    )
    files.add_argument("action", choices=["copy-to-database"])
    files.set_defaults(func=_files)

    link_check = commands.add_parser(
        "links",
        help="check every learning resource's link (HEAD, else GET); write the report the app "
        "uses to hide broken ones; exit 1 when any is broken",
    )
    link_check.add_argument(
        "--file", default=None, help="a resources JSON file (default: the shipped catalogue)"
    )
    link_check.add_argument(
        "--report", default=None, help="where to write the report (default: <data dir>/learning)"
    )
    link_check.add_argument(
        "--concurrency", type=_positive_int, default=8, help="links checked at once (default 8)"
    )
    link_check.add_argument(
        "--timeout", type=_positive_float, default=20.0, help="seconds per link (default 20)"
    )
    link_check.add_argument("--verbose", action="store_true", help="also list redirected links")
    link_check.set_defaults(func=_links)

    users = commands.add_parser(
        "users", help="make an account an admin (promote) or a plain user again (demote)"
    )
    users.add_argument("action", choices=["promote", "demote"])
    users.add_argument("email", help="the account's email address")
    users.set_defaults(func=_users)

    mcp = commands.add_parser(
        "mcp",
        help="serve the MCP tools over stdio for a local assistant (token in CAREERGINI_MCP_TOKEN)",
    )
    mcp.set_defaults(func=_mcp)

    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
