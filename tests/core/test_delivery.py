import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from apprenance.core import delivery
from apprenance.core.delivery import deliver_once, stale_claims
from apprenance.core.models import Delivery

pytestmark = pytest.mark.django_db


class Outbox:
    def __init__(self):
        self.sent = []

    def sender(self, recipient, fail=False):
        def send():
            if fail:
                raise ConnectionError("le serveur de messagerie ne répond pas")
            self.sent.append(recipient)

        return send


def send_to_everyone(outbox, recipients, crash_after=None, fail_on=None):
    """The shape of every sending job: one delivery key per recipient."""
    for recipient in recipients:
        deliver_once(f"prompt:42:{recipient}", outbox.sender(recipient, fail=recipient == fail_on))
        if recipient == crash_after:
            raise SystemExit("the worker was killed")


def test_a_delivery_runs_once_however_often_the_job_runs():
    outbox = Outbox()
    send_to_everyone(outbox, ["anne", "bruno"])
    send_to_everyone(outbox, ["anne", "bruno", "chloé"])
    assert outbox.sent == ["anne", "bruno", "chloé"]
    assert Delivery.objects.filter(status="sent").count() == 3


def test_a_crash_between_sending_and_recording_never_sends_twice(monkeypatch):
    outbox = Outbox()
    real_mark_sent = delivery.mark_sent

    def crash_while_recording(key):
        if key.endswith(":bruno"):
            raise SystemExit("the worker was killed after sending to bruno")
        real_mark_sent(key)

    monkeypatch.setattr(delivery, "mark_sent", crash_while_recording)
    with pytest.raises(SystemExit):
        send_to_everyone(outbox, ["anne", "bruno", "chloé"])
    monkeypatch.setattr(delivery, "mark_sent", real_mark_sent)
    send_to_everyone(outbox, ["anne", "bruno", "chloé"])  # the restarted worker runs the job again
    assert outbox.sent == ["anne", "bruno", "chloé"]


def test_a_crash_mid_job_skips_nobody_on_restart():
    outbox = Outbox()
    with pytest.raises(SystemExit):
        send_to_everyone(outbox, ["anne", "bruno", "chloé", "djamel"], crash_after="bruno")
    send_to_everyone(outbox, ["anne", "bruno", "chloé", "djamel"])
    assert outbox.sent == ["anne", "bruno", "chloé", "djamel"]


def test_a_failed_send_is_tried_again_later():
    outbox = Outbox()
    with pytest.raises(ConnectionError):
        send_to_everyone(outbox, ["anne", "bruno"], fail_on="bruno")
    send_to_everyone(outbox, ["anne", "bruno"])
    assert outbox.sent == ["anne", "bruno"]


def test_a_second_worker_finds_the_key_taken():
    outbox = Outbox()
    assert delivery.claim("prompt:42:anne")  # worker A has claimed and is sending
    assert not deliver_once("prompt:42:anne", outbox.sender("anne"))  # worker B
    assert outbox.sent == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite's test database lives in one connection")
def test_two_workers_racing_send_each_delivery_once():
    outbox = Outbox()
    recipients = [f"membre-{n}" for n in range(60)]
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait()
        try:
            send_to_everyone(outbox, recipients)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outbox.sent) == sorted(recipients)


def test_stale_claims_are_listed_for_an_administrator():
    delivery.claim("prompt:42:anne")
    Delivery.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
    assert [d.key for d in stale_claims()] == ["prompt:42:anne"]


def test_the_stale_deliveries_command_lists_them_and_fails_for_monitoring(capsys):
    call_command("stale_deliveries")
    assert "no stale deliveries" in capsys.readouterr().out
    delivery.claim("prompt:42:anne")
    Delivery.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(SystemExit):
        call_command("stale_deliveries")
    assert "prompt:42:anne" in capsys.readouterr().out
