"""The scale-out path: the same tasks on a Redis queue (RQ), consumed by separate workers.

CI runs it against the Redis that answers on 127.0.0.1:6379 (APPRENANCE_REQUIRE_REDIS=1 makes
a missing Redis a failure there); elsewhere it is skipped when no Redis answers.
"""

import os

import django_rq
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_rq.backend import Job
from redis.exceptions import ConnectionError as RedisConnectionError
from rq.worker import SimpleWorker

from apprenance.core.tasks import clear_expired_sessions


@pytest.fixture
def redis_queue(settings):
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/15"}}  # a database of the tests' own
    queue = django_rq.get_queue("default", job_class=Job)
    try:
        queue.connection.ping()
    except RedisConnectionError:
        if os.environ.get("APPRENANCE_REQUIRE_REDIS"):
            pytest.fail("Redis is required on 127.0.0.1:6379 but does not answer")
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert queue.connection.connection_pool.connection_kwargs["db"] == 15
    queue.empty()
    yield queue
    queue.empty()


@pytest.mark.django_db
def test_a_task_enqueued_on_redis_is_run_by_an_rq_worker(redis_queue):
    expired = SessionStore()
    expired.set_expiry(-60)
    expired.save()
    result = clear_expired_sessions.using(backend="redis").enqueue(slot=timezone.now().isoformat())
    assert redis_queue.count == 1
    # An RQ worker in the test's own process and thread, so that it sees the test's database.
    worker = django_rq.get_worker("default", job_class=Job, worker_class=SimpleWorker)
    worker.work(burst=True)
    assert not Session.objects.filter(session_key=expired.session_key).exists()
    assert result.id
    assert redis_queue.count == 0
