"""Gunicorn settings shared by `make run` and the benchmarks, read from the environment."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Sync workers: a page costs a few milliseconds of CPU, so about one worker per core plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Heartbeat files in memory: a slow disk must not make the arbiter kill healthy workers.
worker_tmp_dir = "/dev/shm"  # noqa: S108
max_requests = 5000
max_requests_jitter = 500
timeout = 30
accesslog = "-" if os.environ.get("ACCESS_LOG") else None
