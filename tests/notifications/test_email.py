import email
import socket
from datetime import UTC, datetime, time, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from apprenance.core.models import Delivery
from apprenance.notifications import emails
from apprenance.notifications.emails import quiet_until, unsubscribe_token
from apprenance.notifications.kinds import KINDS, Frequency
from apprenance.notifications.models import EmailPreference, EmailSettings, Notification
from apprenance.notifications.services import notify
from apprenance.notifications.tasks import send_notification_email

pytestmark = pytest.mark.django_db


def role_change(people):
    """An immediate kind by default: a member's role changes."""
    return notify(people.owner, "member.role_changed", people.organisation, actor=people.admin, role="Animateur·rice")


def test_an_immediate_notification_is_emailed_once_with_both_parts_and_unsubscribe_headers(people):
    notification = role_change(people)
    assert send_notification_email.call(notification_id=notification.pk) == "sent"
    assert send_notification_email.call(notification_id=notification.pk) == "nothing to send"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people.owner.email]
    assert "vous a attribué le rôle « Animateur·rice » dans Mairie de Vernay" in message.subject
    assert "/notifications/desabonnement/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Voir sur Apprenance" in html
    assert "Bonjour Claire" in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_retried_task_sends_nothing_twice(people):
    notification = role_change(people)
    Delivery.objects.create(key=f"notification-email:{notification.pk}")  # a previous run claimed it, then crashed
    assert send_notification_email.call(notification_id=notification.pk) == "already sent"
    assert not mail.outbox


def test_preferences_are_respected_per_kind(people):
    EmailPreference.objects.create(member=people.owner, kind="member.role_changed", frequency=Frequency.OFF)
    notification = role_change(people)
    assert notification.email_frequency == Frequency.OFF
    assert send_notification_email.call(notification_id=notification.pk) == "nothing to send"
    daily = notify(people.admin, "member.joined", people.organisation, actor=people.owner)
    assert daily.email_frequency == Frequency.DAILY  # the kind's default
    assert not mail.outbox


def test_the_email_speaks_the_members_language(people):
    EmailSettings.objects.create(member=people.owner, language="en")
    send_notification_email.call(notification_id=role_change(people).pk)
    assert "gave you the role" in mail.outbox[0].subject
    assert mail.outbox[0].body.startswith("Hello Claire")


PARIS_QUIET = EmailSettings(quiet_start=time(22), quiet_end=time(7))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 11, 25, 21, 30, tzinfo=UTC), datetime(2026, 11, 26, 6, 0, tzinfo=UTC)),  # 22:30 Paris
        (datetime(2026, 11, 26, 3, 0, tzinfo=UTC), datetime(2026, 11, 26, 6, 0, tzinfo=UTC)),  # 04:00 Paris
        (datetime(2026, 11, 26, 12, 0, tzinfo=UTC), None),  # 13:00 Paris
        (datetime(2026, 3, 28, 22, 0, tzinfo=UTC), datetime(2026, 3, 29, 5, 0, tzinfo=UTC)),  # the clocks go forward
    ],
)
def test_quiet_hours_in_local_time(now, expected):
    assert quiet_until(PARIS_QUIET, now) == expected


def test_an_email_falling_in_quiet_hours_waits_for_their_end(people, monkeypatch):
    # At midday in Paris, whatever the time the suite runs (23:59 falls outside these quiet hours).
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 12, 7, 11, 0, tzinfo=UTC))
    EmailSettings.objects.create(member=people.owner, quiet_start=time(0), quiet_end=time(23, 59))
    notification = role_change(people)
    assert send_notification_email.call(notification_id=notification.pk) == "after quiet hours"
    assert not mail.outbox


def test_one_click_unsubscribe_works_without_signing_in(people, client):
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(people.owner.pk, "member.role_changed")])
    page = client.get(url)
    assert "Ne plus recevoir d’e-mail" in page.text
    assert not EmailPreference.objects.exists()
    done = client.post(url)
    assert "C’est noté" in done.text
    assert EmailPreference.objects.get(member=people.owner, kind="member.role_changed").frequency == Frequency.OFF


def test_a_tampered_or_expired_unsubscribe_link_is_refused_with_a_clear_page(people, client, monkeypatch):
    token = unsubscribe_token(people.owner.pk, "member.role_changed")
    tampered = client.post(reverse("notifications:unsubscribe", args=[token[:-3] + "abc"]))
    assert tampered.status_code == 400
    assert "Lien de désabonnement invalide" in tampered.text
    monkeypatch.setattr(emails, "UNSUBSCRIBE_MAX_AGE", timedelta(seconds=-1))
    expired = client.post(reverse("notifications:unsubscribe", args=[token]))
    assert expired.status_code == 400
    assert "Ce lien a expiré" in expired.text
    assert not EmailPreference.objects.exists()


def test_preferences_page_saves_choices_and_refuses_half_quiet_hours(people, signed_in):
    client = signed_in(people.owner)
    form = client.get(reverse("notifications:preferences"))
    assert "Mon rôle change dans mon organisation" in form.text
    bad = client.post(
        reverse("notifications:preferences"),
        {"kind_member.joined": "weekly", "kind_member.role_changed": "off", "quiet_start": "22:00", "language": "fr"},
    )
    assert "ni l’un ni l’autre" in bad.text
    assert not EmailPreference.objects.exists()
    every_kind = {f"kind_{key}": kind.default_frequency for key, kind in KINDS.items()}
    client.post(
        reverse("notifications:preferences"),
        {
            **every_kind,
            "kind_member.joined": "weekly",
            "kind_member.role_changed": "off",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
            "language": "en",
        },
    )
    assert EmailPreference.objects.get(member=people.owner, kind="member.joined").frequency == "weekly"
    assert EmailSettings.objects.get(member=people.owner).quiet_end == time(7)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 -- aiosmtpd's handler protocol
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.mark.django_db(transaction=True)
def test_end_to_end_over_real_smtp(people, settings, client):
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        role_change(people)
        call_command("worker", "--once")  # the task was enqueued when the notification was committed
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    received = inbox.messages[0]
    assert received["To"] == people.owner.email
    assert "Animateur·rice" in str(email.header.make_header(email.header.decode_header(received["Subject"])))
    parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in received.walk() if not p.is_multipart()}
    assert "Bonjour Claire" in parts["text/plain"]
    assert "Voir sur Apprenance" in parts["text/html"]
    unsubscribe_url = "".join(received["List-Unsubscribe"].split()).strip("<>")  # unfold the long header
    assert client.post(unsubscribe_url.removeprefix(settings.SITE_URL)).status_code == 200
    assert EmailPreference.objects.get(member=people.owner).frequency == Frequency.OFF
    assert Notification.objects.get().emailed_at is not None


def test_a_kind_that_is_never_immediate_offers_no_immediate_choice(people, signed_in, monkeypatch):
    from apprenance.notifications import kinds

    light = kinds.Kind(key="member.joined", label="Réactions", one="%(actor)s", immediate_allowed=False)
    monkeypatch.setitem(kinds.KINDS, "member.joined", light)
    assert Frequency.IMMEDIATE not in dict(light.frequencies)
    response = signed_in(people.owner).post(
        reverse("notifications:preferences"),
        {"kind_member.joined": "immediate", "kind_member.role_changed": "off", "language": "fr"},
    )
    assert response.status_code == 200
    assert "kind_member.joined" in response.context["form"].errors
    assert not EmailPreference.objects.exists()
