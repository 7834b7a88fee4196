"""The only code that decides who may read, edit or curate practices."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from apprenance.people.models import Role
from apprenance.practices.models import Practice, Status

CURATORS = {Role.ANIMATOR, Role.ORG_ADMIN, Role.NETWORK_ADMIN}


def can_curate(member) -> bool:
    """Animators and admins keep the mallette and decide a practice's life."""
    return member.is_authenticated and (member.is_superuser or member.role in CURATORS)


def can_edit(member, practice: Practice) -> bool:
    """The author edits their practice; so do the admins of its organisation."""
    return practice.author_id == member.pk or member.can_manage(practice.organisation)


def get_practice_for(request, pk: int, write: bool = False) -> Practice:
    """A practice the member may read (404 otherwise, as if it did not exist), or edit (403)."""
    queryset = Practice.objects.visible_to(request.user).select_related("author", "organisation", "team")
    practice = get_object_or_404(queryset, pk=pk)
    if write and not can_edit(request.user, practice):
        raise PermissionDenied
    return practice


def get_practice_to_curate(request, pk: int) -> Practice:
    practice = get_practice_for(request, pk)
    if not can_curate(request.user) or practice.status != Status.PUBLISHED:
        raise PermissionDenied
    return practice


def attachment_visible(member, path: str) -> bool:
    """An attached file is served to those who may read its practice."""
    from apprenance.practices.models import Attachment

    return Attachment.objects.filter(file=path, practice__in=Practice.objects.visible_to(member)).exists()
