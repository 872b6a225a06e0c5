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

    def render(self) -> bytes:
        return generate_latest(self.registry)
