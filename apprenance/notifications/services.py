"""The one way every app tells a member something: ``notify(recipient, kind, target, actor)``."""

from collections import defaultdict

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from apprenance.notifications.kinds import DIGESTS, KINDS, Frequency
from apprenance.notifications.models import EmailPreference, EmailSettings, Notification
from apprenance.notifications.tasks import send_notification_email


def notify(recipient, kind: str, target: models.Model, actor=None, *, linked=True, **data) -> Notification | None:
    """Record a notification for ``recipient``; nobody is notified of their own action. A target
    about to be deleted is named without a link (``linked=False``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if actor is not None and actor.pk == recipient.pk:
        return None
    notification = unsaved_notification(
        recipient, kind, target, actor, linked=linked, data=data, email_frequency=email_frequency(recipient, kind)
    )
    notification.save()
    if notification.email_frequency == Frequency.IMMEDIATE:
        transaction.on_commit(lambda: send_notification_email.enqueue(notification_id=notification.pk))
    return notification


def unsaved_notification(recipient, kind: str, target: models.Model, actor, *, linked=True, data=None, **fields):
    """A notification about ``target``, not saved yet: what ``notify`` records, and what the demo
    records in bulk (``fields`` sets the others: its date, whether it is read, its e-mail)."""
    get_url = getattr(target, "get_absolute_url", None)
    return Notification(
        recipient=recipient,
        kind=kind,
        actor=actor,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_label=str(target)[:200],
        target_url=get_url() if get_url and linked else "",
        data=data or {},
        **fields,
    )


def email_frequency(member, kind: str) -> str:
    """The member's choice for this kind, or the kind's default; never e-mail an inactive member."""
    if not member.is_active:
        return Frequency.OFF
    chosen = EmailPreference.objects.filter(member=member, kind=kind).values_list("frequency", flat=True).first()
    return chosen or KINDS[kind].default_frequency


def save_preferences(member, *, frequencies: dict[str, str], quiet_start, quiet_end, language: str) -> None:
    """Store a member's e-mail choices (one per kind) and quiet hours."""
    with transaction.atomic():
        for kind, frequency in frequencies.items():
            EmailPreference.objects.update_or_create(member=member, kind=kind, defaults={"frequency": frequency})
        EmailSettings.objects.update_or_create(
            member=member, defaults={"quiet_start": quiet_start, "quiet_end": quiet_end, "language": language}
        )


def unsubscribe(member, key: str) -> None:
    """Stop e-mails of one kind, or every kind a digest gathers; the centre still shows them all."""
    if key in DIGESTS:
        frequency = DIGESTS[key][0]
        kinds = [kind for kind in KINDS if email_frequency(member, kind) == frequency]
        pending = Notification.objects.filter(recipient=member, email_frequency=frequency)
    else:
        kinds = [key]
        pending = Notification.objects.filter(recipient=member, kind=key)
    with transaction.atomic():
        for kind in kinds:
            EmailPreference.objects.update_or_create(member=member, kind=kind, defaults={"frequency": Frequency.OFF})
        pending.filter(emailed_at__isnull=True).update(email_frequency=Frequency.OFF)


def mark_read(member, notifications=None) -> int:
    """Mark some (by default all) of a member's unread notifications as read."""
    queryset = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if notifications is not None:
        queryset = queryset.filter(pk__in=[n.pk for n in notifications])
    with transaction.atomic():
        return queryset.update(read_at=timezone.now())


def mark_gone(lines) -> None:
    """Flag the lines whose target was deleted since (one query per kind of target on the page)."""
    wanted = defaultdict(set)
    for line in lines:
        if line.target_url:
            wanted[line.target_type].add(line.target_id)
    existing = set()
    for target_type, ids in wanted.items():
        model = _target_model(target_type)
        if model is None:
            continue
        existing.update(
            (target_type, pk) for pk in model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)
        )
    for line in lines:
        line.gone = bool(line.target_url) and (line.target_type, line.target_id) not in existing


def target_exists(notification: Notification) -> bool:
    """Whether what the notification is about still exists (it may have been deleted since)."""
    model = _target_model(notification.target_type)
    return model is not None and model._default_manager.filter(pk=notification.target_id).exists()


def _target_model(target_type: str):
    """The model a notification's target is an instance of, or None for a model that is gone."""
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None
