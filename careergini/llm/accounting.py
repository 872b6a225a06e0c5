"""What each LLM call cost, recorded three ways: a structlog event, Prometheus metrics (per role
and model, never per user), and one JSON line in a daily telemetry file (per user too), which the
admin usage endpoint aggregates.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from careergini.core.logging import get_logger
from careergini.core.metrics import Metrics
from careergini.llm.schemas import UsageReport, UsageTotals

log = get_logger(__name__)

ANONYMOUS = "anonymous"
_OK = {"ok", "cached"}


@dataclass
class CallRecord:
    role: str
    model: str
    outcome: str  # ok, cached, busy, unavailable, timeout, bad_output, interrupted, ...
    user_id: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency: float = 0.0
    first_token_latency: float | None = None
    tokens_per_second: float | None = None
    cached: bool = False
    fallback_used: bool = False
    streamed: bool = False
    attempts: int = 0
    trimmed: bool = False
    repaired: bool = False
    prompt_version: str | None = None
    ts: datetime = field(default_factory=lambda: datetime.now(UTC))

    def line(self) -> dict[str, Any]:
        data = asdict(self)
        data["ts"] = self.ts.isoformat()
        for key in ("latency", "first_token_latency", "tokens_per_second"):
            if data[key] is not None:
                data[key] = round(data[key], 4)
        return data


def _file_day(path: Path) -> date | None:
    try:
        return date.fromisoformat(path.stem.removeprefix("llm-usage-"))
    except ValueError:
        return None


class Accountant:
    def __init__(
        self, *, metrics: Metrics | None, telemetry_dir: Path, retention_days: int = 30
    ) -> None:
        self.metrics = metrics
        self.telemetry_dir = telemetry_dir
        self.retention_days = retention_days
        self._pruned_on: date | None = None

    def path_for(self, day: date) -> Path:
        return self.telemetry_dir / f"llm-usage-{day.isoformat()}.jsonl"

    def record(self, record: CallRecord) -> None:
        """Log, count and write one call; telemetry failures never fail the call."""
        line = record.line()
        log.info("llm.call", **{k: v for k, v in line.items() if k != "ts"})
        self._count(record)
        try:
            self._write(record.ts.date(), line)
        except OSError as exc:
            log.warning("llm.telemetry_error", error=f"{type(exc).__name__}: {exc}")

    def _count(self, r: CallRecord) -> None:
        m = self.metrics
        if m is None:
            return
        m.llm_calls.labels(r.role, r.model, r.outcome).inc()
        if r.cached:
            m.llm_cache_hits.labels(r.role).inc()
            return
        if r.prompt_tokens:
            m.llm_tokens.labels(r.role, r.model, "prompt").inc(r.prompt_tokens)
        if r.completion_tokens:
            m.llm_tokens.labels(r.role, r.model, "completion").inc(r.completion_tokens)
        if r.fallback_used:
            m.llm_fallbacks.labels(r.role, r.model).inc()
        if r.outcome == "ok":
            m.llm_duration.labels(r.role, r.model).observe(r.latency)
            if r.first_token_latency is not None:
                m.llm_first_token.labels(r.role, r.model).observe(r.first_token_latency)
            if r.tokens_per_second:
                m.llm_tokens_per_second.labels(r.model).observe(r.tokens_per_second)

    def _write(self, day: date, line: dict[str, Any]) -> None:
        self.telemetry_dir.mkdir(parents=True, exist_ok=True)
        if self._pruned_on != day:
            self._prune(day)
        # One short append per call: atomic enough for several workers on a local disk.
        with self.path_for(day).open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, separators=(",", ":")) + "\n")

    def _prune(self, today: date) -> None:
        self._pruned_on = today
        oldest = today - timedelta(days=self.retention_days)
        for path in self.telemetry_dir.glob("llm-usage-*.jsonl"):
            day = _file_day(path)
            if day is not None and day < oldest:
                path.unlink(missing_ok=True)

    async def summarize(self, *, hours: int, now: datetime | None = None) -> UsageReport:
        """Aggregate the telemetry of the last ``hours`` per role, model and user."""
        return await asyncio.to_thread(self._summarize, hours, now or datetime.now(UTC))

    def _summarize(self, hours: int, now: datetime) -> UsageReport:
        since = now - timedelta(hours=hours)
        groups: dict[str, dict[str, _Sums]] = {
            "total": defaultdict(_Sums),
            "role": defaultdict(_Sums),
            "model": defaultdict(_Sums),
            "user": defaultdict(_Sums),
        }
        day = since.date()
        while day <= now.date():
            path = self.path_for(day)
            day += timedelta(days=1)
            if not path.is_file():
                continue
            with path.open(encoding="utf-8") as lines:
                for raw in lines:
                    try:
                        item = json.loads(raw)
                        ts = datetime.fromisoformat(item["ts"])
                    except (ValueError, KeyError):
                        continue  # a torn line from a crash: skip it
                    if not since <= ts <= now:
                        continue
                    groups["total"]["all"].add(item)
                    groups["role"][item.get("role", "?")].add(item)
                    groups["model"][item.get("model", "?")].add(item)
                    groups["user"][item.get("user_id") or ANONYMOUS].add(item)
        return UsageReport(
            since=since,
            until=now,
            total=groups["total"]["all"].totals(),
            by_role={k: v.totals() for k, v in sorted(groups["role"].items())},
            by_model={k: v.totals() for k, v in sorted(groups["model"].items())},
            by_user={k: v.totals() for k, v in sorted(groups["user"].items())},
        )


@dataclass
class _Mean:
    total: float = 0.0
    count: int = 0

    def add(self, value: float) -> None:
        self.total += value
        self.count += 1

    @property
    def value(self) -> float | None:
        return round(self.total / self.count, 4) if self.count else None


@dataclass
class _Sums:
    calls: int = 0
    errors: int = 0
    cache_hits: int = 0
    fallbacks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency: _Mean = field(default_factory=_Mean)
    first_token: _Mean = field(default_factory=_Mean)
    speed: _Mean = field(default_factory=_Mean)
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, item: dict[str, Any]) -> None:
        outcome = str(item.get("outcome", "?"))
        self.calls += 1
        self.outcomes[outcome] += 1
        self.errors += outcome not in _OK
        self.cache_hits += bool(item.get("cached"))
        self.fallbacks += bool(item.get("fallback_used"))
        self.prompt_tokens += int(item.get("prompt_tokens") or 0)
        self.completion_tokens += int(item.get("completion_tokens") or 0)
        if outcome == "ok":
            self.latency.add(float(item.get("latency") or 0))
            if item.get("first_token_latency") is not None:
                self.first_token.add(float(item["first_token_latency"]))
            if item.get("tokens_per_second"):
                self.speed.add(float(item["tokens_per_second"]))

    def totals(self) -> UsageTotals:
        return UsageTotals(
            calls=self.calls,
            errors=self.errors,
            cache_hits=self.cache_hits,
            fallbacks=self.fallbacks,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            avg_latency_seconds=self.latency.value,
            avg_first_token_seconds=self.first_token.value,
            avg_tokens_per_second=self.speed.value,
            outcomes=dict(self.outcomes),
        )
