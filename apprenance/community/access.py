"""The only code that decides who may see a circle, a live session or a campaign, write in a circle's
thread, form circles, plan, manage or coach sessions, run campaigns and answer their prompts, run
team challenges."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from apprenance.community.models import (
    ORGANISATION_ANIMATORS,
    Campaign,
    Circle,
    CircleStatus,
    LiveSession,
    Prompt,
    TeamChallenge,
)
from apprenance.people.models import Role

FORMERS = {Role.ANIMATOR, Role.ORG_ADMIN, Role.NETWORK_ADMIN}


def can_form_circles(member) -> bool:
    """Animators and admins form circles, among the people they can see."""
    return member.is_authenticated and member.is_active and (member.is_superuser or member.role in FORMERS)


def get_circle_for(request, pk: int, write: bool = False) -> Circle:
    """A circle whose space the member may enter (404 otherwise, as if it did not exist); writing in
    the thread of a closed circle is refused (403)."""
    queryset = Circle.objects.visible_to(request.user).select_related("animator", "organisation")
    circle = get_object_or_404(queryset, pk=pk)
    if write and circle.status != CircleStatus.ACTIVE:
        raise PermissionDenied
    return circle


def can_manage_circle(member, circle: Circle) -> bool:
    """Who closes a circle: its animator, the animators and admins of its organisation, network admins."""
    if not can_form_circles(member):
        return False
    if member.is_network_admin or circle.animator_id == member.pk:
        return True
    return circle.organisation_id is not None and circle.organisation_id == member.organisation_id


def require_former(request) -> None:
    if not can_form_circles(request.user):
        raise PermissionDenied


def can_plan_sessions(member) -> bool:
    """Animators and admins plan live sessions (the same people who form circles)."""
    return can_form_circles(member)


def can_manage_session(member, session: LiveSession) -> bool:
    """Who edits or cancels a session: whoever planned it, the animators and admins of its organisation,
    network admins."""
    if not can_plan_sessions(member):
        return False
    if member.is_network_admin or session.created_by_id == member.pk:
        return True
    return session.organisation_id is not None and session.organisation_id == member.organisation_id


def can_see_results(member, session: LiveSession) -> bool:
    """The coach and the session's managers read the feedback."""
    return session.coach_id == member.pk or can_manage_session(member, session)


def get_session_for(member, pk: int, *, manage: bool = False, coach: bool = False) -> LiveSession:
    """A session the member may see (404 otherwise, as if it did not exist); ``manage`` also requires
    being allowed to edit it and ``coach`` being its coach (403 otherwise)."""
    queryset = LiveSession.objects.visible_to(member).select_related("coach", "organisation", "created_by")
    session = get_object_or_404(queryset, pk=pk)
    if manage and not can_manage_session(member, session):
        raise PermissionDenied
    if coach and session.coach_id != member.pk:
        raise PermissionDenied
    return session


def require_planner(request) -> None:
    if not can_plan_sessions(request.user):
        raise PermissionDenied


def can_run_challenges(member) -> bool:
    """Network admins open challenges for the network or any organisation; the animators and admins of
    an organisation, for their organisation."""
    if not (member.is_authenticated and member.is_active):
        return False
    return member.is_network_admin or (member.role in ORGANISATION_ANIMATORS and member.organisation_id is not None)


def can_manage_challenge(member, challenge: TeamChallenge) -> bool:
    """Who edits or deletes a challenge: the animators and admins of its organisation, network admins
    (the only ones for a network challenge)."""
    if not can_run_challenges(member):
        return False
    if member.is_network_admin:
        return True
    return challenge.organisation_id is not None and challenge.organisation_id == member.organisation_id


def get_challenge_for(member, pk: int, *, manage: bool = False) -> TeamChallenge:
    """A challenge the member may see (404 otherwise, as if it did not exist); ``manage`` also requires
    being allowed to change it (403 otherwise)."""
    queryset = TeamChallenge.objects.visible_to(member).select_related("organisation", "created_by")
    challenge = get_object_or_404(queryset, pk=pk)
    if manage and not can_manage_challenge(member, challenge):
        raise PermissionDenied
    return challenge


def require_challenge_runner(member) -> None:
    if not can_run_challenges(member):
        raise PermissionDenied


def can_run_campaigns(member) -> bool:
    """Animators and admins run campaigns (the same people who form circles)."""
    return can_form_circles(member)


def can_manage_campaign(member, campaign: Campaign) -> bool:
    """Who edits a campaign, its prompts and its course, and sees participation: its animator, the
    animators and admins of its organisation, network admins."""
    if not can_run_campaigns(member):
        return False
    if member.is_network_admin or campaign.animator_id == member.pk:
        return True
    return (
        campaign.organisation_id is not None
        and campaign.organisation_id == member.organisation_id
        and member.role in ORGANISATION_ANIMATORS
    )


def in_audience(member, campaign: Campaign) -> bool:
    """The member belongs to the campaign's audience now, or already received one of its prompts."""
    return Campaign.objects.filter(pk=campaign.pk).filter(Campaign.objects.audience_includes(member)).exists()


def can_answer(member, campaign: Campaign) -> bool:
    """The audience and the animator answer, until the campaign is over."""
    if campaign.is_finished or campaign.is_draft:
        return False
    return campaign.animator_id == member.pk or in_audience(member, campaign)


def get_campaign_for(member, pk: int, *, manage: bool = False) -> Campaign:
    """A campaign the member may see (404 otherwise, as if it did not exist); ``manage`` also requires
    being allowed to run it (403 otherwise)."""
    queryset = Campaign.objects.visible_to(member).select_related("animator", "organisation")
    campaign = get_object_or_404(queryset, pk=pk)
    if manage and not can_manage_campaign(member, campaign):
        raise PermissionDenied
    return campaign


def get_prompt_for(member, campaign: Campaign, pk: int, *, manage: bool = False) -> Prompt:
    """A prompt of a campaign the member may see: the audience sees the prompts sent so far, the
    campaign's managers every prompt (404 otherwise); ``manage`` requires managing the campaign (403)."""
    managing = can_manage_campaign(member, campaign)
    if manage and not managing:
        raise PermissionDenied
    prompts = Prompt.objects.filter(campaign=campaign)
    if not managing:
        prompts = prompts.sent()
    prompt = get_object_or_404(prompts, pk=pk)
    prompt.campaign = campaign
    return prompt


def require_campaigner(request) -> None:
    if not can_run_campaigns(request.user):
        raise PermissionDenied
