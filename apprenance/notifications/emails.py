"""Notification e-mails: each in the member's language, with a text and an HTML part, a link to
the preferences page and a one-click unsubscribe link that works without signing in."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apprenance.notifications.kinds import DIGESTS, KINDS
from apprenance.notifications.lines import group
from apprenance.notifications.models import EmailSettings, Notification

UNSUBSCRIBE_SALT = "apprenance.notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = timedelta(days=90)


def unsubscribe_token(member_id: int, kind: str) -> str:
    """A signed, timestamped "member.kind" (a digest run signs tens of thousands of these)."""
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign(f"{member_id}.{kind}")


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The member and kind behind a link; signing.BadSignature (or SignatureExpired) otherwise."""
    value = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).unsign(token, max_age=UNSUBSCRIBE_MAX_AGE)
    member_id, _dot, kind = value.partition(".")
    if not member_id.isdigit() or (kind not in KINDS and kind not in DIGESTS):
        raise signing.BadSignature("unexpected content")
    return int(member_id), kind


def email_settings(member) -> EmailSettings:
    return EmailSettings.objects.filter(member=member).first() or EmailSettings(member=member)


def quiet_until(email_settings: EmailSettings, now: datetime) -> datetime | None:
    """The end of the member's quiet hours if ``now`` falls inside them (local time), else None."""
    start, end = email_settings.quiet_start, email_settings.quiet_end
    if start is None or end is None or start == end:
        return None
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    clock = local.time()
    inside = start <= clock < end if start < end else clock >= start or clock < end  # e.g. 22:00 → 07:00
    if not inside:
        return None
    end_day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=zone)


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail clients then offer their own one-click "unsubscribe" button."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def notification_message(notification: Notification) -> EmailMultiAlternatives:
    member = notification.recipient
    unsubscribe_url = absolute(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(member.pk, notification.kind)])
    )
    with translation.override(email_settings(member).language):
        line = group([notification])[0]
        context = {
            "member": member,
            "text": line.text,
            "link": absolute(reverse("notifications:open", args=[notification.pk])),
            "kind_label": KINDS[notification.kind].label,
            "preferences_url": absolute(reverse("notifications:preferences")),
            "unsubscribe_url": unsubscribe_url,
        }
        subject = line.text if len(line.text) <= 120 else line.text[:119] + "…"
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[member.email],
        headers=unsubscribe_headers(unsubscribe_url),
    )
    message.attach_alternative(html, "text/html")
    return message
