"""The only code that decides who may see or manage people and organisations."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from apprenance.people.models import Member, Organisation, Team


def get_organisation_for(request, slug: str, manage: bool = False) -> Organisation:
    """Any member may see an organisation; managing it takes its admin or a network admin."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if manage and not request.user.can_manage(organisation):
        raise PermissionDenied
    return organisation


def get_team_for(request, organisation: Organisation, pk: int) -> Team:
    return get_object_or_404(Team.objects.select_related("parent"), organisation=organisation, pk=pk)


def get_member_for(request, pk: int, manage: bool = False) -> Member:
    """A hidden profile answers 404 to other organisations, as if it did not exist."""
    queryset = Member.objects.select_related("organisation")
    if manage:
        member = get_object_or_404(queryset, pk=pk)
        if member.organisation is None or not request.user.can_manage(member.organisation):
            raise PermissionDenied
        return member
    return get_object_or_404(queryset.active().visible_to(request.user), pk=pk)
