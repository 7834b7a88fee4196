"""Cache generations: ``bump("people")`` in a write's transaction, ``current("people")`` in a cache key."""

from django.db import transaction
from django.db.models import F

from apprenance.core.models import Generation


def current(name: str) -> int:
    return Generation.objects.filter(name=name).values_list("value", flat=True).first() or 0


def bump(name: str) -> None:
    with transaction.atomic():
        if not Generation.objects.filter(name=name).update(value=F("value") + 1):
            Generation.objects.get_or_create(name=name, defaults={"value": 1})
