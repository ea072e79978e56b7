"""`/metrics` for Prometheus: request counts and durations, the task backlog, the worker's heartbeat.

Not public: it answers a bearer token (NIANGJIA_METRICS_TOKEN) or a client address in
NIANGJIA_METRICS_ALLOWED, and 404 to everyone else (and to everyone when neither is set).
Under gunicorn set PROMETHEUS_MULTIPROC_DIR (an empty directory, cleared at start) so the
counters of all worker processes add up; without it each process reports its own.
"""

import hmac
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from .context import client_ip, is_trusted

REQUESTS = Counter("niangjia_http_requests_total", "HTTP requests answered", ["method", "route", "status"])
DURATION = Histogram("niangjia_http_request_duration_seconds", "Time to answer a request", ["method", "route"],
                     buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
QUERIES = Histogram("niangjia_http_request_queries", "Database queries per request", ["route"],
                    buckets=(1, 5, 10, 20, 50, 100, 200))


def observe(method: str, route: str, status: int, seconds: float, queries: int) -> None:
    route = route or "unmatched"  # never the raw path: it may hold ids, and it would explode the labels
    REQUESTS.labels(method, route, str(status)).inc()
    DURATION.labels(method, route).observe(seconds)
    QUERIES.labels(route).observe(queries)


class StateCollector:
    """Figures read from the database at scrape time (the same in every process)."""

    def describe(self):
        # Names only: registering calls this instead of collect(), and this module is imported with
        # the logging configuration, before the apps are ready and without a database.
        yield GaugeMetricFamily("niangjia_task_backlog", "Tasks ready and waiting for the worker")
        yield GaugeMetricFamily("niangjia_worker_heartbeat_age_seconds", "Seconds since the worker's last beat")

    def collect(self):
        # this module loads before the models (settings, logging)
        from . import health

        backlog = GaugeMetricFamily("niangjia_task_backlog", "Tasks ready and waiting for the worker")
        heartbeat = GaugeMetricFamily("niangjia_worker_heartbeat_age_seconds", "Seconds since the worker's last beat")
        if health.uses_worker():
            backlog.add_metric([], health.task_backlog())
            age = health.worker_heartbeat_age()
            if age is not None:
                heartbeat.add_metric([], age)
        yield backlog
        yield heartbeat


STATE = StateCollector()
REGISTRY.register(STATE)


def _registry() -> CollectorRegistry:
    """This process's registry, or (under gunicorn with PROMETHEUS_MULTIPROC_DIR) all processes' sums."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    # prometheus_client: optional and heavy, loaded only when this runs
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(STATE)
    return registry


def allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip().encode(), token.encode()):
        return True
    return bool(settings.METRICS_ALLOWED) and is_trusted(client_ip(request.META), settings.METRICS_ALLOWED)


def metrics(request):
    if not allowed(request):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
