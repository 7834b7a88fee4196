"""How notifications read: one line per notification, or per group of them about the same target."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import translation

from apprenance.notifications.kinds import KINDS


@dataclass
class Line:
    """A notification, or several of a groupable kind about the same target, as one sentence."""

    kind: str
    target_label: str
    target_url: str
    data: dict
    latest: datetime
    unread: bool
    first_id: int
    target_type: str = ""
    target_id: int = 0
    actors: list[str] = field(default_factory=list)  # newest first, each name once
    gone: bool = False  # what it is about was deleted since (``services.mark_gone``)

    @property
    def text(self) -> str:
        return self.text_in(translation.get_language())

    def text_in(self, language: str | None) -> str:
        first = self.actors[0] if self.actors and self.actors[0] else "Apprenance"
        return KINDS[self.kind].sentence(
            actor=first, others=len(self.actors) - 1, target=self.target_label, data=self.data, language=language
        )


def group_rows(rows: Iterable, actor_name: Callable[[object], str], get=getattr) -> list[Line]:
    """Group rows (newest first) into lines; ``get`` reads a field (getattr, or dict access for .values() rows)."""
    lines: dict[tuple, Line] = {}
    for row in rows:
        kind = get(row, "kind")
        unread = get(row, "read_at") is None
        key = (
            (kind, get(row, "target_type"), get(row, "target_id"), unread) if KINDS[kind].grouped else (get(row, "id"),)
        )
        line = lines.get(key)
        if line is None:
            line = lines[key] = Line(
                kind=kind,
                target_label=get(row, "target_label"),
                target_url=get(row, "target_url"),
                data=get(row, "data"),
                latest=get(row, "created_at"),
                unread=unread,
                first_id=get(row, "id"),
                target_type=get(row, "target_type"),
                target_id=get(row, "target_id"),
            )
        name = actor_name(row)
        if name not in line.actors:
            line.actors.append(name)
    return list(lines.values())


def group(notifications) -> list[Line]:
    """Lines of the notification centre, from Notification objects with their actor loaded."""
    return group_rows(notifications, lambda n: n.actor.full_name if n.actor else "")
