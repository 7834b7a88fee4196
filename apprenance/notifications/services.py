"""The one way every app tells a member something: ``notify(recipient, kind, target, actor)``."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from apprenance.notifications.kinds import KINDS
from apprenance.notifications.models import Notification


def notify(recipient, kind: str, target: models.Model, actor=None, **data) -> Notification | None:
    """Record a notification for ``recipient``; nobody is notified of their own action."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if actor is not None and actor.pk == recipient.pk:
        return None
    get_url = getattr(target, "get_absolute_url", None)
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor=actor,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_label=str(target)[:200],
        target_url=get_url() if get_url else "",
        data=data,
    )


@dataclass
class Line:
    """One line of the centre: a notification, or several about the same target grouped."""

    kind: str
    target_label: str
    target_url: str
    data: dict
    latest: datetime
    unread: bool
    notifications: list[Notification] = field(default_factory=list)

    @property
    def text(self) -> str:
        actors = list(dict.fromkeys(n.actor.full_name if n.actor else "" for n in self.notifications))
        first = actors[0] if actors and actors[0] else "Apprenance"
        return KINDS[self.kind].sentence(actor=first, others=len(actors) - 1, target=self.target_label, data=self.data)

    @property
    def first(self) -> Notification:
        return self.notifications[0]


def group(notifications) -> list[Line]:
    """Group notifications of a groupable kind about the same target (and equally read or unread)."""
    lines: dict[tuple, Line] = {}
    for notification in notifications:
        kind = KINDS[notification.kind]
        unread = notification.read_at is None
        key = (
            (notification.kind, notification.target_type, notification.target_id, unread)
            if kind.grouped
            else ("single", notification.pk)
        )
        line = lines.get(key)
        if line is None:
            line = lines[key] = Line(
                kind=notification.kind,
                target_label=notification.target_label,
                target_url=notification.target_url,
                data=notification.data,
                latest=notification.created_at,
                unread=unread,
            )
        line.notifications.append(notification)
    return list(lines.values())


def mark_read(member, notifications=None) -> int:
    """Mark some (by default all) of a member's unread notifications as read."""
    queryset = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if notifications is not None:
        queryset = queryset.filter(pk__in=[n.pk for n in notifications])
    with transaction.atomic():
        return queryset.update(read_at=timezone.now())
