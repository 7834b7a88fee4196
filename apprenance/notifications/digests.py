"""Daily and weekly digests: one e-mail per member gathering the notifications they chose to
receive that way, grouped by kind and target. Members with nothing pending get no e-mail."""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apprenance.core.delivery import deliver_once
from apprenance.notifications.emails import absolute, unsubscribe_headers, unsubscribe_token
from apprenance.notifications.kinds import KINDS, Frequency
from apprenance.notifications.lines import group_rows
from apprenance.notifications.models import EmailSettings, Notification
from apprenance.people.models import Member

DIGEST_NAMES = {Frequency.DAILY: _("résumé quotidien"), Frequency.WEEKLY: _("résumé hebdomadaire")}
ROW_FIELDS = ("id", "recipient_id", "kind", "actor_id", "target_type", "target_id", "target_label", "target_url")


@dataclass
class Digest:
    member_id: int
    notification_ids: list[int]
    message: EmailMultiAlternatives


def pending(frequency: str):
    """Notifications waiting for this digest, grouped by recipient then newest first."""
    return (
        Notification.objects.filter(email_frequency=frequency, emailed_at__isnull=True, recipient__is_active=True)
        .order_by("recipient_id", "-created_at", "-id")
        .values(*ROW_FIELDS, "data", "created_at", "read_at")
    )


def build_digests(frequency: str) -> Iterator[Digest]:
    """One digest per member with something pending; rows are streamed, never all in memory."""
    people = Member.objects.values_list("pk", "first_name", "last_name", "email")
    names, recipients = {}, {}
    for pk, first_name, last_name, email in people.iterator(chunk_size=10_000):
        names[pk] = f"{first_name} {last_name}".strip()
        recipients[pk] = (email, first_name)
    languages = dict(EmailSettings.objects.values_list("member_id", "language"))
    text_template = get_template("notifications/email/digest.txt")
    html_template = get_template("notifications/email/digest.html")
    rows = pending(frequency).iterator(chunk_size=5000)
    for member_id, member_rows in groupby(rows, key=itemgetter("recipient_id")):
        member_rows = list(member_rows)
        email, first_name = recipients[member_id]
        with translation.override(languages.get(member_id, settings.LANGUAGE_CODE)):
            lines = group_rows(member_rows, lambda row: names.get(row["actor_id"], ""), get=dict.__getitem__)
            sections = {}
            for line in lines:
                sections.setdefault(KINDS[line.kind].label, []).append(
                    {"text": line.text, "url": absolute(line.target_url) if line.target_url else ""}
                )
            unsubscribe_url = absolute(
                reverse("notifications:unsubscribe", args=[unsubscribe_token_for(member_id, frequency)])
            )
            context = {
                "first_name": first_name,
                "digest_name": DIGEST_NAMES[frequency],
                "sections": list(sections.items()),
                "centre_url": absolute(reverse("notifications:centre")),
                "preferences_url": absolute(reverse("notifications:preferences")),
                "unsubscribe_url": unsubscribe_url,
                "LANGUAGE_CODE": translation.get_language(),
            }
            subject = ngettext(
                "Votre %(digest)s : %(count)s nouveauté sur Apprenance",
                "Votre %(digest)s : %(count)s nouveautés sur Apprenance",
                len(lines),
            ) % {"digest": DIGEST_NAMES[frequency], "count": len(lines)}
            message = EmailMultiAlternatives(
                subject,
                text_template.render(context),
                to=[email],
                headers=unsubscribe_headers(unsubscribe_url),
            )
            message.attach_alternative(html_template.render(context), "text/html")
        yield Digest(member_id, [row["id"] for row in member_rows], message)


def unsubscribe_token_for(member_id: int, frequency: str) -> str:
    return unsubscribe_token(Member(pk=member_id), f"digest:{frequency}")


def send_digests(frequency: str, slot: str) -> int:
    """Send this slot's digests, each once (a restarted run skips those already sent)."""
    sent = 0
    connection = get_connection()  # one SMTP session for the whole run
    with connection:
        for digest in build_digests(frequency):
            digest.message.connection = connection
            key = f"digest:{frequency}:{slot[:10]}:{digest.member_id}"
            if deliver_once(key, digest.message.send):
                sent += 1
            # Sent now or by an earlier run of this slot: either way these are no longer pending.
            Notification.objects.filter(pk__in=digest.notification_ids).update(emailed_at=timezone.now())
    return sent
