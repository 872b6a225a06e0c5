"""Prometheus metrics, one registry per app so tests can build many apps in one process."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "careergini_http_requests_total",
            "HTTP requests by route, method and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "careergini_http_request_duration_seconds",
            "HTTP request latency by route.",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "careergini_http_requests_in_flight",
            "HTTP requests being served.",
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "careergini_rate_limited_total",
            "Requests refused by a rate limit, by bucket.",
            ["bucket"],
            registry=self.registry,
        )
        # --- LLM gateway (careergini/llm); per-user figures are in its telemetry ---
        self.llm_calls = Counter(
            "careergini_llm_calls_total",
            "LLM calls by role, model that answered and outcome (ok, cached, busy, ...).",
            ["role", "model", "outcome"],
            registry=self.registry,
        )
        self.llm_tokens = Counter(
            "careergini_llm_tokens_total",
            "Tokens processed by the model server, by role, model and kind (prompt, completion).",
            ["role", "model", "kind"],
            registry=self.registry,
        )
        self.llm_cache_hits = Counter(
            "careergini_llm_cache_hits_total",
            "LLM answers served from the response cache, by role.",
            ["role"],
            registry=self.registry,
        )
        self.llm_fallbacks = Counter(
            "careergini_llm_fallbacks_total",
            "LLM calls answered by the role's fallback model.",
            ["role", "model"],
            registry=self.registry,
        )
        self.llm_retries = Counter(
            "careergini_llm_retries_total",
            "LLM attempts repeated after a connection error or a 5xx, by model.",
            ["model"],
            registry=self.registry,
        )
        self.llm_first_token = Histogram(
            "careergini_llm_first_token_seconds",
            "Seconds from sending an LLM call to its first token.",
            ["role", "model"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 90),
            registry=self.registry,
        )
        self.llm_duration = Histogram(
            "careergini_llm_call_duration_seconds",
            "Seconds an LLM call took, queueing included.",
            ["role", "model"],
            buckets=(0.1, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300),
            registry=self.registry,
        )
        self.llm_tokens_per_second = Histogram(
            "careergini_llm_generation_tokens_per_second",
            "Generation speed of LLM answers, by model.",
            ["model"],
            buckets=(1, 2, 5, 10, 15, 20, 30, 50, 100),
            registry=self.registry,
        )
        self.llm_in_flight = Gauge(
            "careergini_llm_in_flight", "LLM calls holding a model slot.", registry=self.registry
        )
        self.llm_queued = Gauge(
            "careergini_llm_queued", "LLM calls waiting for a model slot.", registry=self.registry
        )
        self.llm_breaker_open = Gauge(
            "careergini_llm_breaker_open",
            "1 while a model's circuit breaker refuses calls (open or half-open), else 0.",
            ["model"],
            registry=self.registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
