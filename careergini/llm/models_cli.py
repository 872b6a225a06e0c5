"""``careergini models`` (``make models``): pull the base models, build the tuned ones.

Base models are every model ``models/models.yaml`` routes a role to (fallbacks included) and
every ``FROM`` of a Modelfile. Tuned models are built from the repository's ``Modelfile``
(named ``careergini``) and from ``models/<name>.Modelfile`` (named ``careergini-<name>``)
through Ollama's ``/api/create``. The installed ``ollama`` client no longer sends a Modelfile
as text, so each Modelfile is parsed here into ``from``/``system``/``parameters``/... fields.

Idempotent: models already present are skipped (and said so); ``--force`` rebuilds the tuned
ones. Pull progress is drawn on stderr.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import httpx
from ollama import AsyncClient, ResponseError

from careergini.config import Settings
from careergini.llm.config import ModelsConfigError, configured_models

ROOT_MODEL = "careergini"
_INSTRUCTIONS = {"FROM", "PARAMETER", "SYSTEM", "TEMPLATE", "LICENSE", "MESSAGE", "ADAPTER"}
_BLOCK = "\x00"  # marks where a triple-quoted argument starts, once its quotes are removed


class ModelsError(Exception):
    """`careergini models` cannot do its work; the message says why and what to do."""


@dataclass
class Modelfile:
    name: str
    path: Path
    from_: str = ""
    system: str | None = None
    template: str | None = None
    license: list[str] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    messages: list[dict[str, str]] = field(default_factory=list)

    def create_kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments of ``AsyncClient.create`` for this Modelfile."""
        kwargs: dict[str, Any] = {"model": self.name, "from_": self.from_}
        if self.system is not None:
            kwargs["system"] = self.system
        if self.template is not None:
            kwargs["template"] = self.template
        if self.license:
            kwargs["license"] = self.license
        if self.parameters:
            kwargs["parameters"] = self.parameters
        if self.messages:
            kwargs["messages"] = self.messages
        return kwargs


def _value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def _instructions(text: str, path: Path) -> Iterable[tuple[str, str]]:
    """Yield (INSTRUCTION, argument) pairs; triple-quoted arguments may span lines."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        instruction = word.upper()
        if instruction not in _INSTRUCTIONS:
            raise ModelsError(f"{path}:{index}: unknown Modelfile instruction {word!r}")
        rest = rest.strip()
        head, quote, body = rest.partition('"""')
        if not quote:
            yield instruction, rest
            continue
        while '"""' not in body and index < len(lines):
            body += "\n" + lines[index]
            index += 1
        if '"""' not in body:
            raise ModelsError(f'{path}: a """ block is not closed')
        # Keep what precedes the block (a PARAMETER or MESSAGE key), then the block verbatim.
        yield instruction, head + _BLOCK + body[: body.index('"""')].strip("\n")


def parse_modelfile(path: Path, *, name: str) -> Modelfile:
    """Read a Modelfile into the fields Ollama's create API takes."""
    spec = Modelfile(name=name, path=path)
    for instruction, raw in _instructions(path.read_text(), path):
        head, block, body = raw.partition(_BLOCK)
        if block:
            key, value = head.strip(), body
        elif instruction in ("PARAMETER", "MESSAGE"):
            key, _, rest = raw.partition(" ")
            value = _unquote(rest)
        else:
            key, value = "", _unquote(raw)
        if instruction == "FROM":
            spec.from_ = value
        elif instruction == "SYSTEM":
            spec.system = value
        elif instruction == "TEMPLATE":
            spec.template = value
        elif instruction == "LICENSE":
            spec.license.append(value)
        elif instruction == "PARAMETER":
            if not key or not value:
                raise ModelsError(f"{path}: PARAMETER needs a name and a value")
            if key == "stop":
                spec.parameters.setdefault("stop", []).append(value)
            else:
                spec.parameters[key] = _value(value)
        elif instruction == "MESSAGE":
            if key not in ("system", "user", "assistant") or not value:
                raise ModelsError(
                    f"{path}: MESSAGE needs a role (system, user, assistant) and text"
                )
            spec.messages.append({"role": key, "content": value})
        else:  # ADAPTER: needs uploading a local file as a blob
            raise ModelsError(f"{path}: ADAPTER is not supported here; use `ollama create`")
    if not spec.from_:
        raise ModelsError(f"{path}: no FROM line")
    if spec.from_.startswith((".", "/", "~")):
        raise ModelsError(f"{path}: FROM a local file is not supported here; use `ollama create`")
    return spec


def default_modelfiles(models_file: Path) -> list[tuple[str, Path]]:
    """Return (model name, path) of the root Modelfile and of ``models/*.Modelfile``."""
    found = []
    root = models_file.parent.parent / "Modelfile"
    if root.is_file():
        found.append((ROOT_MODEL, root))
    for path in sorted(models_file.parent.glob("*.Modelfile")):
        found.append((f"{ROOT_MODEL}-{path.name.removesuffix('.Modelfile')}", path))
    return found


def _full(name: str) -> str:
    return name if ":" in name else f"{name}:latest"


class Progress:
    """A one-line progress bar per download on stderr (plain lines when not a terminal)."""

    def __init__(self, out: TextIO, width: int = 30) -> None:
        self.out = out
        self.width = width
        self.tty = out.isatty()
        self._last = ""

    def update(self, status: str, completed: int | None, total: int | None) -> None:
        if total:
            done = min(completed or 0, total)
            filled = round(self.width * done / total)
            bar = "#" * filled + "." * (self.width - filled)
            line = f"  {status:<28} [{bar}] {100 * done // total:3d}%  {_size(done)}/{_size(total)}"
            if self.tty:
                self.out.write("\r" + line)
            elif done in (0, total) and line != self._last:
                self.out.write(line + "\n")
            self._last = line
        else:
            self.finish()
            self.out.write(f"  {status}\n")
        self.out.flush()

    def finish(self) -> None:
        if self.tty and self._last:
            self.out.write("\n")
        self._last = ""


def _size(value: float) -> str:
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


@dataclass
class SyncReport:
    pulled: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


async def sync_models(
    *,
    ollama_url: str,
    models_file: Path,
    modelfiles: list[tuple[str, Path]] | None = None,
    force: bool = False,
    out: TextIO = sys.stderr,
    connect_timeout: float = 30.0,
) -> SyncReport:
    """Pull missing base models and create missing tuned ones; skip what is present."""
    try:
        bases = set(configured_models(models_file))
    except ModelsConfigError as exc:
        raise ModelsError(str(exc)) from exc
    tuned = [
        parse_modelfile(path, name=name)
        for name, path in (default_modelfiles(models_file) if modelfiles is None else modelfiles)
    ]
    tuned_names = {_full(t.name) for t in tuned}
    bases |= {t.from_ for t in tuned}
    bases = {b for b in bases if _full(b) not in tuned_names}

    # Pulls take minutes: no read timeout, but a short connect timeout for a clear error.
    client = AsyncClient(host=ollama_url, timeout=httpx.Timeout(None, connect=connect_timeout))
    report = SyncReport()
    progress = Progress(out)
    try:
        try:
            present = {_full(m.model) for m in (await client.list()).models if m.model}
        except (ConnectionError, httpx.TransportError) as exc:
            raise ModelsError(
                f"Ollama is not reachable at {ollama_url} ({type(exc).__name__}). Start it "
                "(`ollama serve`, or `docker compose up -d ollama`) or set CAREERGINI_OLLAMA_URL."
            ) from exc
        for name in sorted(bases):
            if _full(name) in present:
                out.write(f"skip {name}: already present\n")
                report.skipped.append(name)
                continue
            out.write(f"pull {name}\n")
            async for step in await client.pull(name, stream=True):
                progress.update(step.status or "", step.completed, step.total)
            progress.finish()
            report.pulled.append(name)
        for spec in tuned:
            if _full(spec.name) in present and not force:
                out.write(f"skip {spec.name}: already present (--force rebuilds it)\n")
                report.skipped.append(spec.name)
                continue
            out.write(f"create {spec.name} from {spec.path.name} (FROM {spec.from_})\n")
            async for step in await client.create(**spec.create_kwargs(), stream=True):
                progress.update(step.status or "", step.completed, step.total)
            progress.finish()
            report.created.append(spec.name)
    except ResponseError as exc:
        raise ModelsError(f"Ollama refused: {exc.error}") from exc
    except httpx.TransportError as exc:
        raise ModelsError(f"lost the connection to Ollama at {ollama_url}: {exc}") from exc
    finally:
        await client.close()
    out.write(
        f"done: {len(report.pulled)} pulled, {len(report.created)} created, "
        f"{len(report.skipped)} already present\n"
    )
    return report


def main(settings: Settings, *, force: bool = False) -> int:
    """Run ``careergini models``; return the process exit code."""
    try:
        asyncio.run(
            sync_models(
                ollama_url=settings.ollama_url, models_file=settings.models_file, force=force
            )
        )
    except ModelsError as exc:
        print(f"careergini models: {exc}", file=sys.stderr)
        return 1
    return 0
