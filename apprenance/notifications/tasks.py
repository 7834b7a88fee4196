"""Sending notification e-mails in the background, each exactly once."""

from datetime import time

from django.utils import timezone
from django_tasks import task

from apprenance.core.delivery import deliver_once
from apprenance.core.schedule import Every, periodic
from apprenance.notifications.digests import send_digests
from apprenance.notifications.emails import email_settings, notification_message, quiet_until
from apprenance.notifications.kinds import Frequency
from apprenance.notifications.models import Notification


@task()
def send_notification_email(notification_id: int) -> str:
    """E-mail one notification now, or after the member's quiet hours."""
    notification = (
        Notification.objects.select_related("recipient", "actor")
        .filter(pk=notification_id, email_frequency=Frequency.IMMEDIATE, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.recipient.is_active:
        return "nothing to send"
    wait_until = quiet_until(email_settings(notification.recipient), timezone.now())
    if wait_until is not None:
        send_notification_email.using(run_after=wait_until).enqueue(notification_id=notification_id)
        return "after quiet hours"
    if deliver_once(f"notification-email:{notification.pk}", lambda: notification_message(notification).send()):
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        return "sent"
    return "already sent"


@periodic("notifications.daily_digest", Every("day", at=time(8)))
@task()
def send_daily_digests(slot: str) -> int:
    return send_digests(Frequency.DAILY, slot)


@periodic("notifications.weekly_digest", Every("week", at=time(8), weekday=0))
@task()
def send_weekly_digests(slot: str) -> int:
    return send_digests(Frequency.WEEKLY, slot)
