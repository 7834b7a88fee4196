"""The one-line way to write to the activity log: ``record(actor, "practice.published", practice)``."""

from django.db import models

from apprenance.core.models import Event


def record(actor, verb: str, target: models.Model | None = None, *, organisation=None, team=None, **payload) -> Event:
    """Append an event; the organisation defaults to the target's, then the actor's."""
    if organisation is None:
        organisation_id = getattr(target, "organisation_id", None) or getattr(actor, "organisation_id", None)
    else:
        organisation_id = organisation.pk
    return Event.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        verb=verb,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=target.pk if target is not None else None,
        organisation_id=organisation_id,
        team=team,
        payload=payload,
    )
