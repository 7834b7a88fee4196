"""Writes about API tokens: issue and revoke, each recorded in the activity log."""

from django.db import transaction
from django.utils import timezone

from apprenance.api.models import ApiToken
from apprenance.core.activity import record


def issue_token(member, name: str) -> tuple[ApiToken, str]:
    """Create a token; the key is returned once and never stored."""
    with transaction.atomic():
        token, key = ApiToken.issue(member, name)
        record(member, "api_token.issued", token, name=name)
    return token, key


def revoke_token(member, token: ApiToken) -> None:
    with transaction.atomic():
        if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
            record(member, "api_token.revoked", token, name=token.name)
