"""Daily and weekly digests: one e-mail per member gathering the notifications they chose to
receive that way, grouped by kind and target. Members with nothing pending get no e-mail."""

from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
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
        .values(*ROW_FIELDS, "data")
    )


OPENING_MARK = 987654321  # stands for a notification's id in its link


class DigestLayout:
    """Both parts of a digest e-mail in one language, rendered once, then filled in per member.

    The layout is the same for everyone; rendering two templates for each of tens of thousands
    of members would take most of the minute a daily run may last. Markers stand where the
    member's values go.
    """

    MARKERS = ("first_name", "sections", "unsubscribe_url")

    def __init__(self, frequency: str, language: str):
        self.language = language
        with translation.override(language):
            context = {
                **{name: f"\x00{name}\x00" for name in self.MARKERS},
                "digest_name": DIGEST_NAMES[frequency],
                "centre_url": absolute(reverse("notifications:centre")),
                "preferences_url": absolute(reverse("notifications:preferences")),
                "LANGUAGE_CODE": language,
            }
            self.text = get_template("notifications/email/digest.txt").render(context)
            self.html = get_template("notifications/email/digest.html").render(context)
            self.titles = {key: str(kind.label) for key, kind in KINDS.items()}
            # A line's link goes through the centre, which marks it read and, should its subject
            # have been deleted since, says so rather than leading to a missing page. Built once,
            # then filled in: a run words a million lines.
            opening = absolute(reverse("notifications:open", args=[OPENING_MARK]))
            self.opening_prefix, _mark, self.opening_suffix = opening.partition(str(OPENING_MARK))
            self.subjects = {
                count: ngettext(
                    "Votre %(digest)s : %(count)s nouveauté sur Apprenance",
                    "Votre %(digest)s : %(count)s nouveautés sur Apprenance",
                    count,
                )
                % {"digest": DIGEST_NAMES[frequency], "count": count}
                for count in range(1, 100)
            }

    def subject(self, count: int) -> str:
        return self.subjects.get(count) or self.subjects[99]

    def fill(self, first_name: str, lines: list, unsubscribe_url: str) -> tuple[str, str]:
        sections: dict[str, list] = {}
        for line in lines:
            sections.setdefault(self.titles[line.kind], []).append(line)
        text_sections, html_sections = [], []
        for title, section in sections.items():
            items = [
                (line.text_in(self.language), f"{self.opening_prefix}{line.first_id}{self.opening_suffix}")
                for line in section
            ]
            text_sections.append(f"{title}\n" + "".join(f"- {text}\n  {url}\n" for text, url in items))
            html_items = "".join(
                f'<li style="margin: .25rem 0;"><a href="{escape(url)}" style="color: #1b5e8c;">{escape(text)}</a></li>'
                for text, url in items
            )
            html_sections.append(
                f'<h2 style="font-size: 1.05rem; margin: 1.2rem 0 .4rem;">{escape(title)}</h2>'
                f'<ul style="padding-left: 1.2rem; margin: 0;">{html_items}</ul>'
            )
        text = self.text
        html = self.html
        for name, text_value, html_value in (
            ("first_name", first_name, escape(first_name)),
            ("sections", "\n".join(text_sections), "".join(html_sections)),
            ("unsubscribe_url", unsubscribe_url, escape(unsubscribe_url)),
        ):
            text = text.replace(f"\x00{name}\x00", text_value)
            html = html.replace(f"\x00{name}\x00", html_value)
        return text, html


def build_digests(frequency: str) -> Iterator[Digest]:
    """One digest per member with something pending; rows are streamed, never all in memory."""
    people = Member.objects.values_list("pk", "first_name", "last_name", "email")
    names, recipients = {}, {}
    for pk, first_name, last_name, email in people.iterator(chunk_size=10_000):
        names[pk] = f"{first_name} {last_name}".strip()
        recipients[pk] = (email, first_name)
    languages = dict(EmailSettings.objects.values_list("member_id", "language"))
    layouts: dict[str, DigestLayout] = {}
    rows = pending(frequency).iterator(chunk_size=5000)
    for member_id, member_rows in groupby(rows, key=itemgetter("recipient_id")):
        member_rows = list(member_rows)
        email, first_name = recipients[member_id]
        language = languages.get(member_id, settings.LANGUAGE_CODE)
        layout = layouts.get(language) or layouts.setdefault(language, DigestLayout(frequency, language))
        with translation.override(language):
            lines = group_rows(member_rows, lambda row: names.get(row["actor_id"], ""), get=_field)
        token = unsubscribe_token(member_id, f"digest:{frequency}")
        unsubscribe_url = absolute(reverse("notifications:unsubscribe", args=[token]))
        text, html = layout.fill(first_name, lines, unsubscribe_url)
        message = EmailMultiAlternatives(
            layout.subject(len(lines)), text, to=[email], headers=unsubscribe_headers(unsubscribe_url)
        )
        message.attach_alternative(html, "text/html")
        yield Digest(member_id, [row["id"] for row in member_rows], message)


def _field(row: dict, name: str):
    return row.get(name)


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
