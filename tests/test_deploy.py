"""Checks on the production ops files: docker-compose.yml, Dockerfile, deploy/nginx.conf.

Pure file checks always run, the Compose specification's too (the compose-spec package).
Health checks are read against what each image ships, and Chroma's is run against a real
Chroma. Two checks also use real tools when the machine has them (never skipped, they just
do less without): `docker compose config` when the compose plugin answers, and `nginx -t`
when an nginx binary is on PATH.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import compose_spec
import pytest
import yaml
from starlette.routing import WebSocketRoute

from careergini.app import create_app
from careergini.config import Settings
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"

REQUIRED_SERVICES = {"app", "postgres", "redis", "chroma", "ollama", "nginx"}
APP_ENV = {
    "CAREERGINI_ENV",
    "CAREERGINI_SECRET_KEY",
    "CAREERGINI_DATABASE_URL",
    "CAREERGINI_REDIS_URL",
    "CAREERGINI_CHROMA_URL",
    "CAREERGINI_OLLAMA_URL",
    "CAREERGINI_CORS_ORIGINS",
    "CAREERGINI_COOKIE_SECURE",
}
OLLAMA_ENV = {
    "OLLAMA_NUM_THREADS",
    "OLLAMA_NUM_PARALLEL",
    "OLLAMA_MAX_LOADED_MODELS",
    "OLLAMA_KEEP_ALIVE",
}
# Where each stateful service keeps its data: each must be a named volume.
DATA_PATHS = {
    "app": "/app/var",
    "postgres": "/var/lib/postgresql/data",
    "redis": "/data",
    "chroma": "/data",
    "ollama": "/root/.ollama",
}
HOST_MEMORY = 30 * 1024**3
# Variables compose must refuse to run without (`${VAR:?message}`).
REQUIRED_VARS = {
    "POSTGRES_PASSWORD": "0123456789abcdef0123456789abcdef",
    "CAREERGINI_SECRET_KEY": "fedcba9876543210fedcba9876543210",
}
# Spelled in two halves so that this file does not itself name the index it polices.
TORCH_CPU_INDEX = "download.pytorch" + ".org/whl/cpu"


# ---------------------------------------------------------------------------------------
# docker-compose.yml
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict) and isinstance(data.get("services"), dict)
    return data


def _environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def _named_volume_mounts(service: dict) -> Iterator[tuple[str, str]]:
    """Yield (volume name, container path) for each named-volume mount of a service."""
    for mount in service.get("volumes") or []:
        if isinstance(mount, dict):
            if mount.get("type", "volume") == "volume" and mount.get("source"):
                yield mount["source"], mount["target"]
            continue
        parts = str(mount).split(":")
        if len(parts) >= 2 and not parts[0].startswith((".", "/", "~", "$")):
            yield parts[0], parts[1]


def _depends_on(service: dict) -> dict[str, dict]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: {"condition": "service_started"} for name in deps}
    return deps


def _memory_bytes(value: str | int) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmg]?)b?", str(value).strip().lower())
    assert match, f"unreadable memory size {value!r}"
    number, unit = match.groups()
    return int(float(number) * 1024 ** "_kmg".index(unit or "_"))


def _memory_limit(service: dict) -> int | None:
    limit = ((service.get("deploy") or {}).get("resources") or {}).get("limits") or {}
    value = limit.get("memory") or service.get("mem_limit")
    return None if value is None else _memory_bytes(value)


def _image_problem(image: str) -> str | None:
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" not in last:
        return "no tag"
    tag = last.split(":", 1)[1]
    if not tag or tag == "latest" or "$" in tag:
        return f"tag {tag!r} is not a pin"
    return None


def check_services(compose: dict) -> list[str]:
    missing = REQUIRED_SERVICES - set(compose["services"])
    return [f"missing service {name}" for name in sorted(missing)]


def check_health_and_restart(compose: dict) -> list[str]:
    problems = []
    for name, service in compose["services"].items():
        health = service.get("healthcheck") or {}
        test = health.get("test")
        if health.get("disable") or not test or (isinstance(test, list) and test[0] == "NONE"):
            problems.append(f"{name}: no healthcheck")
        if service.get("restart") != "unless-stopped":
            problems.append(f"{name}: restart is {service.get('restart')!r}")
    return problems


def check_volumes(compose: dict) -> list[str]:
    declared = set(compose.get("volumes") or {})
    problems = []
    for name, service in compose["services"].items():
        mounts = dict(_named_volume_mounts(service))
        problems += [f"{name}: volume {v} not declared" for v in mounts if v not in declared]
        if name in DATA_PATHS and DATA_PATHS[name] not in mounts.values():
            problems.append(f"{name}: {DATA_PATHS[name]} is not on a named volume")
    return problems


def check_depends_on(compose: dict) -> list[str]:
    services = compose["services"]
    problems = []
    for name, service in services.items():
        for dep, spec in _depends_on(service).items():
            if dep not in services:
                problems.append(f"{name}: depends on unknown service {dep}")
            elif spec.get("condition") == "service_healthy" and "healthcheck" not in services[dep]:
                problems.append(f"{name}: waits for {dep} to be healthy, which has no check")
    app_deps = _depends_on(services.get("app", {}))
    for dep in ("postgres", "redis", "chroma"):
        if app_deps.get(dep, {}).get("condition") != "service_healthy":
            problems.append(f"app: does not wait for {dep} to be healthy")
    return problems


def check_ports(compose: dict) -> list[str]:
    services = compose["services"]
    problems = [
        f"{n}: publishes ports" for n, s in services.items() if s.get("ports") and n != "nginx"
    ]
    published = {
        str(p).rsplit(":", 1)[-1].split("/")[0] for p in services.get("nginx", {}).get("ports", [])
    }
    problems += [f"nginx: port {p} not published" for p in ("80", "443") if p not in published]
    return problems


def check_networks(compose: dict) -> list[str]:
    """Databases sit only on internal networks: no published path and no route out."""
    networks = compose.get("networks") or {}
    problems = []
    for name in ("postgres", "redis", "chroma"):
        attached = compose["services"].get(name, {}).get("networks") or ["default"]
        for net in attached:
            if not (networks.get(net) or {}).get("internal"):
                problems.append(f"{name}: on non-internal network {net}")
    for name, service in compose["services"].items():
        for net in service.get("networks") or []:
            if net not in networks:
                problems.append(f"{name}: network {net} not declared")
    return problems


def check_app_environment(compose: dict) -> list[str]:
    app = compose["services"]["app"]
    env = _environment(app)
    problems = [f"app: {name} not set" for name in sorted(APP_ENV - set(env))]
    expected = {
        "CAREERGINI_ENV": "production",
        "CAREERGINI_COOKIE_SECURE": "true",
        "CAREERGINI_REDIS_URL": "redis://redis:6379/0",
        "CAREERGINI_CHROMA_URL": "http://chroma:8000",
        "CAREERGINI_OLLAMA_URL": "http://ollama:11434",
    }
    problems += [
        f"app: {k}={env.get(k)!r}, expected {v!r}" for k, v in expected.items() if env.get(k) != v
    ]
    if not env.get("CAREERGINI_DATABASE_URL", "").startswith("postgresql://"):
        problems.append("app: CAREERGINI_DATABASE_URL is not a postgresql:// URL")
    if "@postgres:5432/" not in env.get("CAREERGINI_DATABASE_URL", ""):
        problems.append("app: CAREERGINI_DATABASE_URL does not point at the postgres service")
    env_files = app.get("env_file") or []
    if not any(
        isinstance(f, dict) and f.get("path") == ".env" and f.get("required") is False
        for f in env_files
    ):
        problems.append("app: .env is not an optional env_file")
    return problems


def check_ollama(compose: dict) -> list[str]:
    ollama = compose["services"]["ollama"]
    problems = [f"ollama: {n} not set" for n in sorted(OLLAMA_ENV - set(_environment(ollama)))]
    if _memory_limit(ollama) is None:
        problems.append("ollama: no memory limit")
    return problems


def check_memory(compose: dict) -> list[str]:
    limits = {name: _memory_limit(s) for name, s in compose["services"].items()}
    problems = [f"{name}: no memory limit" for name, limit in limits.items() if limit is None]
    total = sum(limit or 0 for limit in limits.values())
    if total >= HOST_MEMORY:
        problems.append(f"memory limits add up to {total / 1024**3:.1f} GiB, the host has 30")
    return problems


def check_images(compose: dict) -> list[str]:
    problems = []
    for name, service in compose["services"].items():
        if "image" not in service:
            if "build" not in service:
                problems.append(f"{name}: neither image nor build")
            continue
        problem = _image_problem(str(service["image"]))
        if problem:
            problems.append(f"{name}: image {service['image']}: {problem}")
    return problems


# What each image is known to ship, by image name (tag-independent within the pinned major).
# Alpine images run BusyBox, whose applets include sh, grep and wget (no curl); the Chroma
# image has only bash and its server binary; Ollama's has bash and the ollama binary.
# The app's image (built here) is read from the Dockerfile: see _dockerfile_binaries().
BUSYBOX = {"sh", "grep", "wget", "nc", "test", "["}
IMAGE_BINARIES: dict[str, set[str]] = {
    "postgres": BUSYBOX | {"pg_isready", "psql", "postgres", "pg_dump", "bash"},
    "redis": BUSYBOX | {"redis-cli", "redis-server"},
    "chromadb/chroma": {"bash", "chroma"},
    "ollama/ollama": {"bash", "sh", "ollama"},
    "nginx": BUSYBOX | {"nginx"},
}
# Debian packages of the app image's runtime stage and the programs they bring.
APT_BINARIES = {
    "curl": {"curl"},
    "postgresql-client": {"pg_dump", "pg_restore", "psql"},
    "chromium": {"chromium"},
}
APP_BASE_BINARIES = {"sh", "bash", "python", "python3", "careergini", "grep", "test", "["}
SHELL_BUILTINS = {"exec", "printf", "read", "echo", "[[", "test", "[", "true", "false", "exit"}


def _image_name(image: str) -> str:
    return image.split("@", 1)[0].rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image


def _dockerfile_binaries() -> set[str]:
    """Programs the app image ships: its base's, plus those of the runtime stage's apt installs."""
    runtime = parse_dockerfile(DOCKERFILE.read_text())[-1]
    words = " ".join(runtime.args("RUN")).split()
    found = set(APP_BASE_BINARIES)
    for package, binaries in APT_BINARIES.items():
        if package in words:
            found |= binaries
    return found


def _shell_commands(script: str) -> list[str]:
    """The program each simple command of a shell script starts with."""
    segments = re.split(r"\|\||&&|\||;|\n", script)
    commands = []
    for segment in segments:
        words = [w for w in segment.split() if not re.fullmatch(r"\d*[<>]&?\S*|[A-Z_]+=\S*", w)]
        if words:
            commands.append(words[0])
    return commands


def healthcheck_programs(test: list[str] | str) -> list[str]:
    """The programs a compose health check runs, the shell and those inside its script."""
    if isinstance(test, str):
        test = ["CMD-SHELL", test]
    kind, args = test[0], test[1:]
    if kind == "CMD-SHELL":
        return ["sh", *_shell_commands(" ".join(args))]
    assert kind == "CMD", f"unknown healthcheck form {kind}"
    if args[0] in {"sh", "bash"} and len(args) >= 3 and args[1] == "-c":
        return [args[0], *_shell_commands(args[2])]
    return [args[0]]


def check_healthcheck_binaries(compose: dict) -> list[str]:
    problems = []
    for name, service in compose["services"].items():
        test = (service.get("healthcheck") or {}).get("test")
        if not test:
            continue
        if "build" in service and "image" not in service:
            shipped = _dockerfile_binaries()
        else:
            shipped = IMAGE_BINARIES.get(_image_name(str(service["image"])))
            if shipped is None:
                problems.append(f"{name}: {service['image']} is not in IMAGE_BINARIES")
                continue
        for program in healthcheck_programs(test):
            if program not in shipped | SHELL_BUILTINS:
                problems.append(f"{name}: the healthcheck runs {program}, not in the image")
    return problems


COMPOSE_CHECKS = [
    check_services,
    check_health_and_restart,
    check_volumes,
    check_depends_on,
    check_ports,
    check_networks,
    check_app_environment,
    check_ollama,
    check_memory,
    check_images,
    check_healthcheck_binaries,
]


@pytest.mark.parametrize("check", COMPOSE_CHECKS, ids=lambda c: c.__name__)
def test_compose_passes(compose: dict, check: Callable[[dict], list[str]]) -> None:
    assert check(compose) == []


def _drop(mapping: dict, key: str) -> None:
    del mapping[key]


# Each breakage must be caught by the named check: the checks above can fail.
BREAKAGES: list[tuple[str, Callable[[dict], object], Callable[[dict], list[str]]]] = [
    ("no redis", lambda c: _drop(c["services"], "redis"), check_services),
    (
        "no healthcheck",
        lambda c: _drop(c["services"]["redis"], "healthcheck"),
        check_health_and_restart,
    ),
    (
        "restart no",
        lambda c: c["services"]["chroma"].update(restart="no"),
        check_health_and_restart,
    ),
    ("undeclared volume", lambda c: _drop(c["volumes"], "postgres-data"), check_volumes),
    (
        "bind-mounted data",
        lambda c: c["services"]["ollama"].update(volumes=["./o:/root/.ollama"]),
        check_volumes,
    ),
    (
        "unknown dependency",
        lambda c: c["services"]["app"]["depends_on"].update(db={}),
        check_depends_on,
    ),
    (
        "postgres ports",
        lambda c: c["services"]["postgres"].update(ports=["5432:5432"]),
        check_ports,
    ),
    (
        "redis on frontend",
        lambda c: c["services"]["redis"].update(networks=["frontend"]),
        check_networks,
    ),
    (
        "no redis url",
        lambda c: _drop(c["services"]["app"]["environment"], "CAREERGINI_REDIS_URL"),
        check_app_environment,
    ),
    (
        "required .env",
        lambda c: c["services"]["app"].update(env_file=[".env"]),
        check_app_environment,
    ),
    ("no ollama limit", lambda c: _drop(c["services"]["ollama"], "deploy"), check_ollama),
    (
        "no keep-alive",
        lambda c: _drop(c["services"]["ollama"]["environment"], "OLLAMA_KEEP_ALIVE"),
        check_ollama,
    ),
    (
        "oversized",
        lambda c: c["services"]["ollama"]["deploy"]["resources"]["limits"].update(memory="40g"),
        check_memory,
    ),
    ("latest tag", lambda c: c["services"]["redis"].update(image="redis:latest"), check_images),
    ("no tag", lambda c: c["services"]["chroma"].update(image="chromadb/chroma"), check_images),
    (
        "curl in chroma",
        lambda c: c["services"]["chroma"]["healthcheck"].update(
            test=["CMD", "curl", "-fsS", "http://127.0.0.1:8000/api/v2/heartbeat"]
        ),
        check_healthcheck_binaries,
    ),
    (
        "curl in a bash script",
        lambda c: c["services"]["ollama"]["healthcheck"].update(
            test=["CMD", "bash", "-c", "curl -fsS http://127.0.0.1:11434 >/dev/null"]
        ),
        check_healthcheck_binaries,
    ),
    (
        "curl in nginx",
        lambda c: c["services"]["nginx"]["healthcheck"].update(test="curl -f http://127.0.0.1"),
        check_healthcheck_binaries,
    ),
    (
        "unknown image",
        lambda c: c["services"]["redis"].update(image="valkey/valkey:8"),
        check_healthcheck_binaries,
    ),
]


@pytest.mark.parametrize(("label", "breakage", "check"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_compose_checks_catch_breakage(
    compose: dict,
    label: str,
    breakage: Callable[[dict], object],
    check: Callable[[dict], list[str]],
) -> None:
    broken = copy.deepcopy(compose)
    breakage(broken)
    assert check(broken), f"{check.__name__} missed: {label}"


def test_healthcheck_programs_reads_each_form(compose: dict) -> None:
    chroma = compose["services"]["chroma"]["healthcheck"]["test"]
    assert healthcheck_programs(chroma) == ["bash", "exec", "printf", "read", "[["]
    assert healthcheck_programs("redis-cli ping | grep -q PONG") == ["sh", "redis-cli", "grep"]
    assert healthcheck_programs(["CMD", "ollama", "list"]) == ["ollama"]
    assert "pg_dump" in _dockerfile_binaries()


def _chroma_check_script(compose: dict, port: int) -> str:
    """The Chroma health check's bash script as the container runs it (after compose turns
    `$$` into `$`), aimed at another port."""
    test = compose["services"]["chroma"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "bash", "-c"], test
    script = test[3].replace("$$", "$")
    assert "/dev/tcp/127.0.0.1/8000" in script
    return script.replace("/dev/tcp/127.0.0.1/8000", f"/dev/tcp/127.0.0.1/{port}")


def test_chroma_healthcheck_runs_against_a_real_chroma(compose: dict, chroma_server: str) -> None:
    """The check, run by bash as in the image, passes on a live Chroma (the image's version,
    1.5.9, is the one installed here) and fails where nothing listens or the path is wrong."""
    bash = shutil.which("bash")
    assert bash
    port = int(chroma_server.rsplit(":", 1)[1])

    def run(script: str) -> int:
        return subprocess.run([bash, "-c", script], capture_output=True, timeout=30).returncode

    script = _chroma_check_script(compose, port)
    assert run(script) == 0
    assert run(_chroma_check_script(compose, free_port())) != 0
    assert run(script.replace("/api/v2/heartbeat", "/api/v2/no-such-path")) != 0


def test_compose_postgres_matches_the_app_image_client(compose: dict) -> None:
    """`careergini backup` runs pg_dump from the app image (Debian bookworm's client, 15): a
    server of a newer major would refuse it."""
    image = compose["services"]["postgres"]["image"]
    tag = image.rsplit(":", 1)[1]
    assert tag.split(".")[0].split("-")[0] == "15", image
    assert "postgresql-client" in " ".join(parse_dockerfile(DOCKERFILE.read_text())[-1].args("RUN"))


def test_ollama_tuned_for_the_host(compose: dict) -> None:
    env = _environment(compose["services"]["ollama"])
    assert env["OLLAMA_NUM_PARALLEL"] == "1"
    models = yaml.safe_load((ROOT / "models" / "models.yaml").read_text())
    distinct = {m for m in models["models"].values() if isinstance(m, str)}
    assert int(env["OLLAMA_MAX_LOADED_MODELS"]) >= len(distinct), "roles would reload models"
    threads = int(models["defaults"]["num_thread"])
    assert env["OLLAMA_NUM_THREADS"] == str(threads)
    cpus = float(compose["services"]["ollama"]["deploy"]["resources"]["limits"]["cpus"])
    assert threads <= cpus < 8, "threads beyond ollama's CPUs, or none left for the rest"
    assert _nginx_seconds(env["OLLAMA_KEEP_ALIVE"]) >= 30 * 60


def test_make_models_runs_inside_the_stack() -> None:
    """From the host the ollama container is unreachable: `make models STACK=compose` runs
    the pull through the app image on the compose network."""
    make = shutil.which("make")
    assert make, "make is needed to read the Makefile's recipes"

    def recipe(*args: str) -> str:
        done = subprocess.run(
            [make, "-n", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "docker compose run --rm app careergini models" in recipe("models", "STACK=compose")
    assert re.search(
        r"docker compose run --rm -v \S+:/backups\S* app careergini backup /backups --keep \d+",
        recipe("backup", "STACK=compose"),
    )
    restore = recipe("restore", "STACK=compose", "BACKUP=backups/careergini-x")
    assert re.search(r"-v \S+/backups/careergini-x:/restore:ro\S* app careergini restore", restore)


def _docker_compose() -> list[str] | None:
    """Return the `docker compose` command when the v2 plugin answers, else None."""
    if shutil.which("docker") is None:
        return None
    try:
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return ["docker", "compose"] if probe.returncode == 0 else None


def spec_problem(compose: dict) -> str | None:
    """What the Compose specification finds wrong with the file (merge keys applied), if
    anything: the schema check `docker compose config` also makes, here without docker."""
    try:
        compose_spec.PyCompose.from_json(json.dumps(compose)).validate()
    except ValueError as exc:
        return str(exc)
    return None


def test_compose_follows_the_compose_specification(compose: dict) -> None:
    assert spec_problem(compose) is None
    for breakage in (
        lambda c: c["services"]["app"]["depends_on"]["postgres"].update(condition="healthy"),
        lambda c: c["services"]["chroma"]["healthcheck"].update(test=["RUN", "bash"]),
        lambda c: c["services"]["redis"].update(helthcheck={}),
        lambda c: c["services"]["redis"].update(networks=["nowhere"]),
        lambda c: c["services"]["redis"]["healthcheck"].update(interval="ten seconds"),
    ):
        broken = copy.deepcopy(compose)
        breakage(broken)
        assert spec_problem(broken), "the specification check let a broken file through"


def test_compose_config_and_required_variables(tmp_path: Path) -> None:
    text = COMPOSE_FILE.read_text()
    for var in REQUIRED_VARS:
        assert re.search(rf"\$\{{{var}:\?[^}}]+\}}", text), f"{var} is not a required variable"

    command = _docker_compose()
    if command is None:
        return  # no compose plugin on this machine: the static checks above are what ran
    empty_env_file = tmp_path / "empty.env"  # keeps a developer's own .env out of it
    empty_env_file.write_text("")
    base = [*command, "-f", str(COMPOSE_FILE), "--env-file", str(empty_env_file)]
    clean_env = {k: v for k, v in os.environ.items() if k not in REQUIRED_VARS}

    def run(*args: str, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*base, *args],
            cwd=ROOT,
            env={**clean_env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )

    ok = run("config", "-q", extra=REQUIRED_VARS)
    assert ok.returncode == 0, ok.stderr

    resolved = json.loads(run("config", "--format", "json", extra=REQUIRED_VARS).stdout)
    url = resolved["services"]["app"]["environment"]["CAREERGINI_DATABASE_URL"]
    password = REQUIRED_VARS["POSTGRES_PASSWORD"]
    assert url == f"postgresql://careergini:{password}@postgres:5432/careergini"

    for var in REQUIRED_VARS:
        missing = run("config", "-q", extra={k: v for k, v in REQUIRED_VARS.items() if k != var})
        assert missing.returncode != 0, f"compose ran without {var}"
        assert var in missing.stderr


# ---------------------------------------------------------------------------------------
# Dockerfile and .dockerignore
# ---------------------------------------------------------------------------------------


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse_dockerfile(text: str) -> list[Stage]:
    """Split a Dockerfile into stages of (KEYWORD, arguments), heredocs folded in."""
    stages: list[Stage] = []
    lines = iter(text.splitlines())
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        while line.endswith("\\"):
            line = line[:-1].rstrip() + " " + next(lines, "").strip()
        heredoc = re.search(r"<<-?['\"]?(\w+)['\"]?", line)
        if heredoc:
            body = []
            for body_line in lines:
                if body_line.strip() == heredoc.group(1):
                    break
                body.append(body_line)
            line += "\n" + "\n".join(body)
        keyword, _, args = line.strip().partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = args.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=name))
        else:
            assert stages, f"{keyword} before the first FROM"
            stages[-1].instructions.append((keyword, args.strip()))
    return stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse_dockerfile(DOCKERFILE.read_text())


def test_dockerfile_parser_folds_continuations_and_heredocs() -> None:
    parsed = parse_dockerfile(
        "FROM a:1 AS b\nRUN x \\\n    && y\nCOPY <<EOF /f\nline\nEOF\nFROM c:2\nUSER u\n"
    )
    assert [(s.base, s.name) for s in parsed] == [("a:1", "b"), ("c:2", None)]
    assert parsed[0].instructions == [("RUN", "x && y"), ("COPY", "<<EOF /f\nline")]
    assert parsed[1].args("USER") == ["u"]


def test_dockerfile_is_multi_stage_on_pinned_bases(stages: list[Stage]) -> None:
    assert len(stages) >= 2, "expected a builder stage and a runtime stage"
    for stage in stages:
        assert _image_problem(stage.base) is None, f"FROM {stage.base} is not pinned"
    assert stages[-1].base == "python:3.11-slim-bookworm"
    runtime_apt = " ".join(stages[-1].args("RUN"))
    assert "gcc" not in runtime_apt, "compilers belong in the builder stage"


def test_dockerfile_runtime_stage(stages: list[Stage]) -> None:
    runtime = stages[-1]
    users = runtime.args("USER")
    assert users and users[-1].split(":")[0] not in {"root", "0"}, "runtime runs as root"
    assert users[-1] == "careergini"
    assert any(re.search(r"(^|\s)8000(/tcp)?(\s|$)", e) for e in runtime.args("EXPOSE"))

    health = runtime.args("HEALTHCHECK")
    assert health and "http://127.0.0.1:8000/api/health/ready" in health[-1]

    env = " ".join(runtime.args("ENV"))
    assert "CAREERGINI_DATA_DIR=/app/var" in env
    # The default models file sits beside the source tree, not inside site-packages.
    assert "CAREERGINI_MODELS_FILE=/app/models/models.yaml" in env
    assert any("/app/var" in v for v in runtime.args("VOLUME"))

    packages = set(" ".join(runtime.args("RUN")).split())
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz0b",
        "libharfbuzz-subset0",
        "libfontconfig1",
        "fonts-dejavu-core",
        "fonts-liberation2",
        "fonts-noto-cjk",
        "curl",
        "chromium",
    ):
        assert package in packages, f"runtime stage does not install {package}"
    # Playwright launches the browser the settings name: where Debian's chromium puts it.
    assert "CAREERGINI_JOBS_BROWSER_PATH=/usr/bin/chromium" in env
    assert Settings(_env_file=None).jobs_browser_path == "/usr/bin/chromium"


def test_dockerfile_installs_cpu_torch_before_the_project(stages: list[Stage]) -> None:
    runs = [run for stage in stages for run in stage.args("RUN")]
    torch = next(i for i, r in enumerate(runs) if "torch==" in r)
    assert TORCH_CPU_INDEX in runs[torch]
    project = next(i for i, r in enumerate(runs) if re.search(r"pip install[^&]* \.(\s|$)", r))
    assert torch < project


def test_dockerfile_copies_the_app_and_migrates_before_serving(stages: list[Stage]) -> None:
    copies = " ".join(c for stage in stages for c in stage.args("COPY"))
    for source in ("careergini", "migrations", "alembic.ini", "models", "pyproject.toml"):
        assert re.search(rf"(^|\s){re.escape(source)}(\s|$)", copies), f"{source} not copied"

    runtime = stages[-1]
    assert json.loads(runtime.args("CMD")[-1]) == [
        "careergini",
        "serve",
        "--host",
        "0.0.0.0",
        "--port",
        "8000",
        "--proxy-headers",
        "--no-migrate",  # the entrypoint has just run them
    ]
    entrypoint = json.loads(runtime.args("ENTRYPOINT")[-1])
    script = next(c for c in runtime.args("COPY") if entrypoint[0] in c)
    assert script.index("careergini db upgrade") < script.index('exec "$@"')


def _dockerignore_excludes(path: str) -> bool:
    """Whether .dockerignore keeps `path` (or its top folder) out of the build context."""
    excluded = False
    for raw in DOCKERIGNORE.read_text().splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        candidates = (path, path.split("/")[0])
        if any(Path(c).match(pattern) or c == pattern for c in candidates):
            excluded = not negate
    return excluded


def test_dockerignore(stages: list[Stage]) -> None:
    for secret in (".env", ".git", ".venv", "var"):
        assert _dockerignore_excludes(secret), f"{secret} would be sent to the build"
    for needed in ("pyproject.toml", "careergini", "migrations", "alembic.ini", "models"):
        assert not _dockerignore_excludes(needed), f".dockerignore drops {needed}"


def test_only_the_dockerfile_names_the_torch_index() -> None:
    skip_dirs = {".git", ".venv", "venv", "var", "node_modules", "__pycache__", ".ruff_cache"}
    offenders = []
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if set(rel.parts) & skip_dirs or not path.is_file() or path == DOCKERFILE:
            continue
        if path.stat().st_size > 1_000_000:
            continue
        try:
            if TORCH_CPU_INDEX in path.read_text(errors="ignore"):
                offenders.append(str(rel))
        except OSError:
            continue
    assert offenders == []


# ---------------------------------------------------------------------------------------
# deploy/nginx.conf
# ---------------------------------------------------------------------------------------


@dataclass
class Directive:
    name: str
    args: list[str]
    block: list[Directive] | None = None

    def find(self, name: str) -> list[Directive]:
        return [d for d in self.block or [] if d.name == name]

    def first(self, name: str) -> Directive:
        found = self.find(name)
        assert found, f"no {name} in {self.name} {' '.join(self.args)}"
        return found[0]

    def values(self, name: str) -> list[str]:
        return [" ".join(d.args) for d in self.find(name)]


def _nginx_tokens(text: str) -> Iterator[str]:
    token = re.compile(
        r"""\s+|\#[^\n]*|"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)'|([{};])|([^\s{};"'#]+)"""
    )
    pos = 0
    while pos < len(text):
        match = token.match(text, pos)
        if match is None:
            raise ValueError(f"unterminated quote at offset {pos}")
        pos = match.end()
        double, single, punct, word = match.groups()
        if double is not None or single is not None:
            yield "\x00" + (double if double is not None else single)
        elif punct or word:
            yield punct or word


def parse_nginx(text: str) -> Directive:
    """Parse nginx configuration into a tree; raise ValueError on unbalanced braces."""
    root = Directive("main", [], [])
    stack = [root]
    words: list[str] = []
    for token in _nginx_tokens(text):
        if token in ("{", ";"):
            if not words:
                raise ValueError(f"{token!r} without a directive")
            name, *args = (w.removeprefix("\x00") for w in words)
            directive = Directive(name, args)
            assert stack[-1].block is not None
            stack[-1].block.append(directive)
            if token == "{":
                directive.block = []
                stack.append(directive)
            words = []
        elif token == "}":
            if words or len(stack) == 1:
                raise ValueError("unbalanced '}' or a directive without ';'")
            stack.pop()
        else:
            words.append(token)
    if words or len(stack) != 1:
        raise ValueError("unbalanced braces: a block is never closed")
    return root


@pytest.fixture(scope="module")
def nginx() -> Directive:
    return parse_nginx(NGINX_CONF.read_text())


@pytest.fixture(scope="module")
def http(nginx: Directive) -> Directive:
    return nginx.first("http")


def _server(http: Directive, port: str) -> Directive:
    for server in http.find("server"):
        if any(v.split()[0] == port for v in server.values("listen")):
            return server
    raise AssertionError(f"no server listening on {port}")


def _location(server: Directive, path: str) -> Directive:
    for location in server.find("location"):
        if location.args[-1] == path:
            return location
    raise AssertionError(f"no location {path}")


@pytest.mark.parametrize(
    "text",
    ["http { server { }", "http { } }", "events { worker_connections 1 }", 'a "b;'],
)
def test_nginx_parser_rejects_broken_config(text: str) -> None:
    with pytest.raises(ValueError):
        parse_nginx(text)


def test_nginx_parser_ignores_braces_in_quotes_and_comments() -> None:
    tree = parse_nginx('# { not a block\nmap $a $b { "~^x{1,2}$" y; }\n')
    assert tree.first("map").block == [Directive("~^x{1,2}$", ["y"])]


def test_nginx_body_size_gzip_and_upstream(http: Directive) -> None:
    assert http.values("client_max_body_size") == ["12m"]
    assert http.values("gzip") == ["on"]
    gzip_types = set(" ".join(http.values("gzip_types")).split())
    assert {"text/css", "application/javascript", "application/json", "text/plain"} <= gzip_types
    assert "text/event-stream" not in gzip_types

    upstreams = {u.args[0]: u for u in http.find("upstream")}
    servers = [s.split()[0] for u in upstreams.values() for s in u.values("server")]
    assert servers == ["app:8000"]
    https = _server(http, "443")
    for location in https.find("location"):
        target = location.values("proxy_pass") or https.values("proxy_pass")
        if target:
            assert target == [f"http://{next(iter(upstreams))}"], location.args


def test_nginx_http_redirects_but_serves_acme(http: Directive) -> None:
    plain = _server(http, "80")
    acme = _location(plain, "/.well-known/acme-challenge/")
    assert acme.values("root") or acme.values("alias")
    assert _location(plain, "/").values("return") == ["301 https://$host$request_uri"]


def test_nginx_tls(http: Directive) -> None:
    tls = _server(http, "443")
    assert any("ssl" in v.split() for v in tls.values("listen"))
    assert tls.values("ssl_certificate") == ["/etc/nginx/certs/fullchain.pem"]
    assert tls.values("ssl_certificate_key") == ["/etc/nginx/certs/privkey.pem"]
    assert tls.values("ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    hsts = [v for v in tls.values("add_header") if v.startswith("Strict-Transport-Security")]
    assert hsts and "max-age=" in hsts[0]
    # add_header in a location replaces the server's: each such location must repeat HSTS.
    for location in tls.find("location"):
        headers = location.values("add_header")
        if headers:
            assert any(h.startswith("Strict-Transport-Security") for h in headers), location.args


def test_nginx_forwards_client_and_request_id(http: Directive) -> None:
    tls = _server(http, "443")
    headers = {v.split()[0].lower(): v.split(maxsplit=1)[1] for v in tls.values("proxy_set_header")}
    for name in ("host", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"):
        assert name in headers, f"{name} not forwarded"
    request_id = headers["x-request-id"]
    maps = {m.args[1]: m for m in http.find("map") if m.args[0] == "$http_x_request_id"}
    assert request_id in maps, "X-Request-ID is not mapped from the incoming header"
    assert [d.name for d in maps[request_id].block or [] if d.args == ["$request_id"]] == [
        "default"
    ], "a request without an id must get $request_id"
    # proxy_set_header in a location would drop every server-level one above.
    for location in tls.find("location"):
        assert not location.find("proxy_set_header"), location.args


# What nginx uses where neither the location, its server nor http sets a directive.
NGINX_DEFAULTS = {
    "proxy_buffering": "on",
    "proxy_cache": "off",
    "proxy_http_version": "1.0",
    "proxy_read_timeout": "60s",
    "proxy_send_timeout": "60s",
    "gzip": "off",
}
_NGINX_TIME_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
# Seconds between the keep-alive comments of every event stream: the chat's
# (CAREERGINI_CHAT_HEARTBEAT_SECONDS) and FastAPI's EventSourceResponse's (tasks).
SSE_KEEPALIVE = 15.0


def _nginx_seconds(value: str) -> float:
    """Read an nginx time ("90", "120s", "1h", "1m30s", "500ms") in seconds."""
    parts = re.findall(r"(\d+)(ms|[smhdw]?)", value)
    assert parts and "".join(n + u for n, u in parts) == value, f"unreadable time {value!r}"
    return sum(int(number) * _NGINX_TIME_UNITS[unit or "s"] for number, unit in parts)


def _nginx_bytes(value: str) -> int:
    match = re.fullmatch(r"(\d+)([kmg]?)", value.lower())
    assert match, f"unreadable size {value!r}"
    return int(match.group(1)) * 1024 ** "_kmg".index(match.group(2) or "_")


def _route(server: Directive, uri: str) -> Directive:
    """The location nginx picks for a URI: an exact match, else the longest prefix when it
    is `^~`, else the first matching regex in file order, else the longest prefix."""
    locations = server.find("location")
    for location in locations:
        if location.args[0] == "=" and location.args[1] == uri:
            return location
    prefixes = [
        loc
        for loc in locations
        if (len(loc.args) == 1 or loc.args[0] == "^~") and uri.startswith(loc.args[-1])
    ]
    longest = max(prefixes, key=lambda loc: len(loc.args[-1]), default=None)
    if longest is not None and longest.args[0] == "^~":
        return longest
    for location in locations:
        flags = {"~": 0, "~*": re.IGNORECASE}.get(location.args[0])
        if flags is not None and re.search(location.args[1], uri, flags):
            return location
    assert longest is not None, f"no location serves {uri}"
    return longest


def _effective(http: Directive, server: Directive, location: Directive, name: str) -> str:
    """A directive's value in a location: its own, else inherited, else nginx's default."""
    for level in (location, server, http):
        values = level.values(name)
        if values:
            return values[-1]
    return NGINX_DEFAULTS[name]


def _sample_uri(path: str) -> str:
    """An OpenAPI path with a plausible value for each parameter."""
    return re.sub(r"\{[^}]+\}", "0f8fad5b-d9cb-469f-a165-70867728950e", path)


def _setting(name: str) -> float:
    """The default of a numeric app setting."""
    value = Settings.model_fields[name].default
    assert isinstance(value, int | float), name
    return float(value)


@pytest.fixture(scope="module")
def app_routes() -> dict[str, list[str]]:
    """The app's HTTP routes as {"sse" | "ws" | "http": [path, ...]}."""
    app = create_app()
    routes: dict[str, list[str]] = {"sse": [], "ws": [], "http": []}
    for path, operations in app.openapi()["paths"].items():
        for operation in operations.values():
            content = ((operation.get("responses") or {}).get("200") or {}).get("content") or {}
            routes["sse" if "text/event-stream" in content else "http"].append(path)

    def websockets(found: list) -> Iterator[WebSocketRoute]:
        for route in found:
            if isinstance(route, WebSocketRoute):
                yield route
            included = getattr(route, "original_router", None)  # FastAPI's lazily included
            if included is not None:
                yield from websockets(included.routes)

    routes["ws"] = [app.url_path_for(route.name) for route in websockets(app.routes)]
    return routes


def test_nginx_time_and_size_readers() -> None:
    assert _nginx_seconds("90") == 90
    assert _nginx_seconds("1h") == 3600
    assert _nginx_seconds("1m30s") == 90
    assert _nginx_seconds("500ms") == 0.5
    with pytest.raises(AssertionError):
        _nginx_seconds("1 hour")
    assert _nginx_bytes("12m") == 12 * 1024 * 1024


def test_nginx_location_matching_follows_nginx_rules() -> None:
    server = parse_nginx(
        "server { location / { } location ^~ /static/ { } location = /a/b { }"
        " location ~ ^/a/[^/]+$ { } location /a/ { } }"
    ).first("server")
    assert _route(server, "/a/b").args == ["=", "/a/b"]
    assert _route(server, "/a/c").args == ["~", "^/a/[^/]+$"]
    assert _route(server, "/a/c/d").args == ["/a/"]
    assert _route(server, "/static/x").args == ["^~", "/static/"]
    assert _route(server, "/elsewhere").args == ["/"]


def test_nginx_finds_the_app_streams(app_routes: dict[str, list[str]]) -> None:
    # Guards the route discovery below: if these moved, the checks would check nothing.
    assert "/api/chat/threads/{thread_id}/messages" in app_routes["sse"]
    assert "/api/tasks/{task_id}/events" in app_routes["sse"]
    assert "/api/chat/ws" in app_routes["ws"]
    assert len(app_routes["http"]) > 20


def test_nginx_event_streams_are_unbuffered(
    http: Directive, app_routes: dict[str, list[str]]
) -> None:
    """Every Server-Sent Events route: each event reaches the browser as it is written, and
    only a stream whose app died times out (keep-alives come every 15 s)."""
    tls = _server(http, "443")
    heartbeat = max(SSE_KEEPALIVE, _setting("chat_heartbeat_seconds"))
    for path in app_routes["sse"]:
        location = _route(tls, _sample_uri(path))
        where = f"{path} (location {' '.join(location.args)})"

        def value(name: str, location: Directive = location) -> str:
            return _effective(http, tls, location, name)

        assert value("proxy_buffering") == "off", where
        assert value("proxy_cache") == "off", where
        assert value("gzip") == "off", f"{where}: gzip would hold events back"
        assert value("proxy_http_version") == "1.1", where
        for timeout in ("proxy_read_timeout", "proxy_send_timeout"):
            seconds = _nginx_seconds(value(timeout))
            assert seconds >= max(600, 20 * heartbeat), f"{where}: {timeout} {seconds:g} s"
        assert "X-Accel-Buffering no always" in location.values("add_header"), where


def test_nginx_websocket(http: Directive, app_routes: dict[str, list[str]]) -> None:
    tls = _server(http, "443")
    upgrade_maps = [
        m for m in http.find("map") if m.args == ["$http_upgrade", "$connection_upgrade"]
    ]
    assert upgrade_maps, "no map $http_upgrade $connection_upgrade"
    for path in app_routes["ws"]:
        ws = _route(tls, path)
        assert ws.args[0] == "=", f"{path}: the WebSocket needs an exact location"
        headers = set(tls.values("proxy_set_header")) | set(ws.values("proxy_set_header"))
        assert {"Upgrade $http_upgrade", "Connection $connection_upgrade"} <= headers
        assert _effective(http, tls, ws, "proxy_http_version") == "1.1"
        assert _effective(http, tls, ws, "proxy_buffering") == "off"
        for timeout in ("proxy_read_timeout", "proxy_send_timeout"):
            assert _nginx_seconds(_effective(http, tls, ws, timeout)) >= 3600, (path, timeout)


def _jobs_url_worst_case() -> float:
    """Seconds POST /api/jobs may take to add a posting by URL with the default settings:
    robots.txt and the page, each tried 1 + retries times with exponential backoff (a
    server's Retry-After can stretch the waits up to jobs_max_backoff_seconds: not counted),
    then a Chromium render."""
    timeout = _setting("jobs_fetch_timeout")
    retries = int(_setting("jobs_fetch_retries"))
    backoff = _setting("jobs_fetch_backoff_seconds")
    cap = _setting("jobs_max_backoff_seconds")
    one_fetch = timeout * (retries + 1) + sum(min(backoff * 2**i, cap) for i in range(retries))
    return 2 * one_fetch + _setting("jobs_render_timeout")


def test_nginx_ordinary_requests_time_out_in_minutes(
    http: Directive, app_routes: dict[str, list[str]]
) -> None:
    """Model work runs in background tasks, so every other request answers within seconds:
    a normal read timeout fails a stuck request, yet lets the slowest ordinary one finish."""
    tls = _server(http, "443")
    server_read = _nginx_seconds(tls.values("proxy_read_timeout")[-1])
    assert 60 <= server_read <= 120
    probe = _setting("ollama_probe_timeout")
    assert server_read > probe + 30, "the LLM health check must answer behind nginx"
    slowest = {"/api/jobs": _jobs_url_worst_case()}
    for path in app_routes["http"]:
        location = _route(tls, _sample_uri(path))
        where = f"{path} (location {' '.join(location.args)})"
        assert _effective(http, tls, location, "proxy_buffering") == "on", where
        read = _nginx_seconds(_effective(http, tls, location, "proxy_read_timeout"))
        assert 60 <= read <= 300, f"{where}: proxy_read_timeout {read:g} s"
        assert read > slowest.get(path, 0), f"{where}: the app may take {slowest[path]:g} s"


def test_nginx_body_limit_matches_the_app(http: Directive) -> None:
    example = re.search(
        r"^CAREERGINI_MAX_REQUEST_BYTES=(\d+)$", (ROOT / ".env.example").read_text(), re.M
    )
    assert example, ".env.example does not document CAREERGINI_MAX_REQUEST_BYTES"
    limit = _nginx_bytes(http.values("client_max_body_size")[-1])
    assert limit == int(example.group(1)) == _setting("max_request_bytes"), (
        f"nginx accepts {limit} bytes, the app {example.group(1)} (.env.example)"
    )
    https = _server(http, "443")
    for location in https.find("location"):
        # A bigger limit here would only let nginx spool what the app refuses anyway.
        assert not location.values("client_max_body_size"), location.args


def test_nginx_metrics_not_public(http: Directive) -> None:
    # Without its own location, /metrics would fall through to the public `location /`.
    metrics = [
        location
        for location in _server(http, "443").find("location")
        if location.args[-1].startswith("/metrics")
    ]
    assert metrics, "no /metrics location in the TLS server"
    for location in metrics:
        assert location.values("deny")[-1:] == ["all"], location.args
        assert "all" not in location.values("allow")


def _nginx_version(binary: str) -> tuple[int, ...]:
    output = subprocess.run([binary, "-v"], capture_output=True, text=True, timeout=30).stderr
    match = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", output)
    assert match, output
    return tuple(int(part) for part in match.groups())


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"nginx.conf no longer contains {old!r}: update this test"
    return text.replace(old, new)


def _local_nginx_conf(text: str, version: tuple[int, ...], tmp_path: Path) -> str:
    """Rewrite container-only parts so that this machine's nginx can load the file."""
    text = _replace(text, "/etc/nginx/certs/", f"{tmp_path}/certs/")
    text = _replace(text, "user nginx;", "")  # the account exists only in the image
    # Without `resolve`, nginx resolves upstream names at load time; `app` exists only in
    # the compose network.
    text = _replace(text, "server app:8000 resolve;", "server 127.0.0.1:8000 resolve;")
    if version < (1, 27, 3):  # `resolve` in open-source upstream blocks
        text = _replace(text, "server 127.0.0.1:8000 resolve;", "server 127.0.0.1:8000;")
    if version < (1, 25, 1):  # the `http2` directive
        text = _replace(text, "http2 on;", "")
        text = _replace(
            text, "listen 443 ssl default_server;", "listen 443 ssl http2 default_server;"
        )
    if not Path("/etc/nginx/mime.types").exists():
        text = _replace(text, "include /etc/nginx/mime.types;", "types { text/html html; }")
    return text


def test_nginx_conf_loads_in_real_nginx(tmp_path: Path) -> None:
    """Run `nginx -t` on the file when nginx is installed (CI installs it)."""
    text = NGINX_CONF.read_text()
    parse_nginx(text)
    binary = shutil.which("nginx")
    if binary is None:
        return  # no nginx here: the parsed-tree checks above are what ran
    openssl = shutil.which("openssl")
    assert openssl, "nginx -t needs a certificate, and openssl to make one"
    (tmp_path / "certs").mkdir()
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(tmp_path / "certs" / "privkey.pem"),
            "-out",
            str(tmp_path / "certs" / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(_local_nginx_conf(text, _nginx_version(binary), tmp_path))
    result = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(conf), "-g", f"pid {tmp_path}/nginx.pid;"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
