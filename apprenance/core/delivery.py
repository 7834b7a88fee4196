"""Send each thing once: claim a unique key, send, record it sent.

The claim is committed before anything goes out. Whatever happens next, nobody receives the
same delivery twice: a second worker finds the key taken, and so does a worker restarted
after a crash between sending and recording. A send that fails with an error releases its
claim, so that a later run tries again and nobody is skipped. Only a process killed outright
between claiming and sending leaves a claim without a send; ``stale_claims()`` lists those for
an administrator, because the platform cannot know whether the message left.
"""

import os
import socket
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from apprenance.core.models import Delivery

WORKER_ID = f"{socket.gethostname()}-{os.getpid()}"[:64]


def claim(key: str) -> bool:
    """Take ``key`` for this worker; False when it is already taken (or sent)."""
    try:
        with transaction.atomic():
            Delivery.objects.create(key=key, claimed_by=WORKER_ID)
    except IntegrityError:
        return False
    return True


def release(key: str) -> None:
    """Give a claim back after a send that certainly failed, so that it can be tried again."""
    Delivery.objects.filter(key=key, status=Delivery.Status.CLAIMED).delete()


def mark_sent(key: str) -> None:
    Delivery.objects.filter(key=key).update(status=Delivery.Status.SENT, sent_at=timezone.now())


def deliver_once(key: str, send: Callable[[], object]) -> bool:
    """Run ``send`` unless ``key`` was delivered or claimed already; say whether it ran."""
    if not claim(key):
        return False
    try:
        send()
    except Exception:
        release(key)
        raise
    mark_sent(key)
    return True


def stale_claims(older_than: timedelta = timedelta(minutes=15)):
    """Claims never recorded as sent: the process stopped between claiming and recording."""
    return Delivery.objects.filter(status=Delivery.Status.CLAIMED, claimed_at__lt=timezone.now() - older_than)
