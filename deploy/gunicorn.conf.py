"""gunicorn settings for Niangjia behind nginx (docs/operations.md).

Used as `gunicorn -c deploy/gunicorn.conf.py niangjia.wsgi` (systemd/niangjia-web.service);
every figure can be changed from the environment file without editing this one.
"""

import multiprocessing
import os

# nginx talks to this address; never expose it beyond the machine.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers, the usual 2 × cores + 1 (each holds one database connection;
# PostgreSQL's max_connections must cover workers + task worker + periodic jobs).
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A request that takes longer than this is killed and logged (the worker restarts);
# exports stream, so 60 s covers the largest list. graceful_timeout: a reload lets
# running requests finish.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200

# The application writes one JSON line per request itself (with request id, user, route,
# duration); gunicorn's own access log would repeat it in another format, so it is off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn believes X-Forwarded-Proto only from nginx; Django decides the client address
# itself from NIANGJIA_TRUSTED_PROXIES.
forwarded_allow_ips = os.environ.get("NIANGJIA_TRUSTED_PROXIES") or "127.0.0.1"

# Load the application once in the master: workers fork with it already imported.
preload_app = True
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Request-line and header limits (defaults are generous; these are still above any real page).
limit_request_line = 8190
limit_request_fields = 100
# gunicorn's control socket (gunicornc) is not used: it would default to ~/.gunicorn/gunicorn.ctl,
# shared by every gunicorn of the same user.
control_socket_disable = True
