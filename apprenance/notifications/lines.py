"""How notifications read: one line per notification, or per group of them about the same target."""

from dataclasses import dataclass, field
from datetime import datetime

from apprenance.notifications.kinds import KINDS
from apprenance.notifications.models import Notification


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
