"""Writes about people: invitations, profiles, teams and roles. Each owns its transaction."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apprenance.core.activity import record
from apprenance.core.delivery import deliver_once
from apprenance.core.generations import bump
from apprenance.notifications.services import notify
from apprenance.people.models import (
    ERASED_EMAIL_DOMAIN,
    ERASED_NAME,
    PEOPLE_GENERATION,
    Invitation,
    Member,
    Membership,
    Organisation,
    Role,
    Team,
    hash_token,
)

logger = logging.getLogger(__name__)


class InvitationUnavailableError(Exception):
    """The link is unknown, already used, revoked or expired; ``reason`` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invite_members(
    *, organisation: Organisation, emails: list[str], role: str, teams: list[Team], invited_by: Member
) -> list[Invitation]:
    """Create one invitation per address (replacing any pending one) and e-mail each link."""
    now = timezone.now()
    sent = []
    with transaction.atomic():
        for email in emails:
            Invitation.objects.pending().filter(organisation=organisation, email__iexact=email).update(revoked_at=now)
            token = Invitation.new_token()
            invitation = Invitation.objects.create(
                organisation=organisation,
                email=email.lower(),
                role=role,
                token_hash=hash_token(token),
                invited_by=invited_by,
                expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
            )
            invitation.teams.set(teams)
            record(invited_by, "invitation.sent", invitation, organisation=organisation, email=invitation.email)
            sent.append((invitation, token))

        def send_all():
            for invitation, token in sent:
                send_invitation_email(invitation, token)

        transaction.on_commit(send_all)
    return [invitation for invitation, _token in sent]


def send_invitation_email(invitation: Invitation, token: str) -> None:
    """Send one link, once (see core.delivery); a refusing mail server is logged, the others still go out.

    Only the token's hash is stored, so the link cannot be rebuilt later by a background task:
    it is sent right after the invitation is committed.
    """
    link = settings.SITE_URL + reverse("people:accept_invitation", args=[token])
    context = {"invitation": invitation, "link": link, "site_name": settings.SITE_NAME}
    with translation.override(settings.LANGUAGE_CODE):
        message = EmailMultiAlternatives(
            render_to_string("people/email/invitation_subject.txt", context).strip(),
            render_to_string("people/email/invitation.txt", context),
            to=[invitation.email],
        )
        message.attach_alternative(render_to_string("people/email/invitation.html", context), "text/html")
    try:
        deliver_once(f"invitation-email:{invitation.pk}", message.send)
    except (smtplib.SMTPException, OSError):
        logger.exception("invitation %s could not be e-mailed to %s", invitation.pk, invitation.email)


def find_invitation(token: str) -> Invitation:
    """The invitation behind a link, or InvitationUnavailableError saying why it cannot be used."""
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=hash_token(token or "")).first()
    if invitation is None:
        raise InvitationUnavailableError("unknown")
    if invitation.accepted_at is not None:
        raise InvitationUnavailableError("used")
    if invitation.revoked_at is not None:
        raise InvitationUnavailableError("revoked")
    if invitation.is_expired:
        raise InvitationUnavailableError("expired")
    return invitation


def accept_invitation(token: str, *, first_name: str, last_name: str, password: str) -> Member:
    """Create the member the invitation was for; the link cannot be used again."""
    with transaction.atomic():
        invitation = find_invitation(token)
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        )
        if not claimed:  # a concurrent request used the same link first
            raise InvitationUnavailableError("used")
        if Member.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationUnavailableError("member_exists")
        member = Member(
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
            organisation=invitation.organisation,
            role=invitation.role,
        )
        password_validation.validate_password(password, member)
        member.set_password(password)
        member.save()
        member.teams.set(invitation.teams.all())
        record(member, "member.joined", member, invitation=invitation.pk)
        bump(PEOPLE_GENERATION)
        if invitation.invited_by is not None:
            notify(invitation.invited_by, "member.joined", invitation.organisation, actor=member)
    return member


def update_profile(member: Member, form) -> Member:
    """Save the member's own profile form."""
    with transaction.atomic():
        form.save()
        record(member, "member.profile_updated", member)
        bump(PEOPLE_GENERATION)
    return member


def update_membership(*, admin: Member, member: Member, role: str, teams: list[Team], is_active: bool) -> Member:
    """An admin sets a member's role, teams and whether they may sign in."""
    if member.pk == admin.pk and (role != member.role or not is_active):
        raise PermissionError("admins cannot demote or deactivate themselves")
    if role == Role.NETWORK_ADMIN and not admin.is_network_admin:
        raise PermissionError("only network admins appoint network admins")
    with transaction.atomic():
        changes = {}
        if member.role != role:
            changes["role"] = [member.role, role]
        if member.is_active != is_active:
            changes["is_active"] = [member.is_active, is_active]
        member.role = role
        member.is_active = is_active
        member.save(update_fields=["role", "is_active"])
        before = set(member.teams.values_list("pk", flat=True))
        after = {team.pk for team in teams}
        if before != after:
            Membership.objects.filter(member=member).exclude(team_id__in=after).delete()
            Membership.objects.bulk_create(
                [Membership(member=member, team_id=pk) for pk in after - before], ignore_conflicts=True
            )
            changes["teams"] = [sorted(before), sorted(after)]
        if changes:
            record(admin, "member.membership_updated", member, organisation=member.organisation, **changes)
            bump(PEOPLE_GENERATION)
        if "role" in changes and is_active:
            notify(member, "member.role_changed", member.organisation, actor=admin, role=str(Role(role).label))
    return member


def save_team(*, admin: Member, form) -> Team:
    """Create or edit a team from the admin's form."""
    with transaction.atomic():
        creating = form.instance.pk is None
        team = form.save()
        record(admin, "team.created" if creating else "team.updated", team, organisation=team.organisation)
        bump(PEOPLE_GENERATION)
    return team


def delete_team(*, admin: Member, team: Team) -> None:
    """Delete a team; its sub-teams move up to its parent and its members stay in the organisation."""
    with transaction.atomic():
        Team.objects.filter(parent=team).update(parent=team.parent)
        record(admin, "team.deleted", team, organisation=team.organisation, name=team.name)
        team.delete()
        bump(PEOPLE_GENERATION)


def revoke_invitation(*, admin: Member, invitation: Invitation) -> None:
    with transaction.atomic():
        updated = Invitation.objects.pending().filter(pk=invitation.pk).update(revoked_at=timezone.now())
        if updated:
            record(admin, "invitation.revoked", invitation, organisation=invitation.organisation)


def update_organisation(*, admin: Member, form) -> Organisation:
    with transaction.atomic():
        organisation = form.save()
        record(admin, "organisation.updated", organisation, organisation=organisation)
        bump(PEOPLE_GENERATION)
    return organisation


def personal_practices(member: Member) -> dict:
    """What a member wrote or did about practices, for their personal data export."""
    from apprenance.practices.models import Adoption, Comment, Practice, Reaction

    return {
        "practices": [
            {
                "title": p.title,
                "kind": p.kind,
                "status": p.status,
                "visibility": p.visibility,
                "context": p.context,
                "what_we_did": p.what_we_did,
                "results": p.results,
                "difficulties": p.difficulties,
                "victories": p.victories,
                "created_at": p.created_at.isoformat(),
            }
            for p in Practice.objects.filter(author=member).order_by("created_at", "pk")
        ],
        "comments": [
            {"practice": c.practice.title, "body": c.body, "created_at": c.created_at.isoformat()}
            for c in Comment.objects.filter(author=member).select_related("practice").order_by("created_at", "pk")
        ],
        "reactions": [
            {"practice": title, "kind": kind}
            for title, kind in Reaction.objects.filter(member=member).values_list("practice__title", "kind")
        ],
        "adoptions": [
            {
                "practice": a.practice.title,
                "team": a.team.name,
                "outcome": a.outcome,
                "note": a.note,
                "created_at": a.created_at.isoformat(),
            }
            for a in Adoption.objects.filter(member=member).select_related("practice", "team").order_by("created_at")
        ],
    }


def export_personal_data(member: Member) -> dict:
    """Everything Apprenance holds about a member, as they may download it (RGPD, article 20)."""
    from apprenance.api.models import ApiToken  # the api app builds on people, not the reverse
    from apprenance.community.exports import personal_data as personal_circles
    from apprenance.core.models import Event
    from apprenance.notifications.models import Notification
    from apprenance.questions.exports import personal_data as personal_questions
    from apprenance.skills.exports import personal_data as personal_skills

    record(member, "member.data_exported", member)
    return {
        "format": "apprenance-personal-data",
        "version": 1,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "organisation": member.organisation.name if member.organisation else None,
            "role": member.role,
            "teams": sorted(team.name for team in member.teams.all()),
            "job_title": member.job_title,
            "bio": member.bio,
            "languages": member.languages,
            "profile_visibility": member.profile_visibility,
            "photo": member.photo.url if member.photo else None,
            "date_joined": member.date_joined.isoformat(),
            "last_login": member.last_login.isoformat() if member.last_login else None,
        },
        "invitations_sent": [
            {"email": inv.email, "organisation": inv.organisation.name, "created_at": inv.created_at.isoformat()}
            for inv in member.invitations_sent.select_related("organisation").order_by("created_at")
        ],
        "api_tokens": [
            {
                "name": token.name,
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            }
            for token in ApiToken.objects.filter(member=member).order_by("created_at")
        ],
        "notifications": [
            {
                "kind": notification.kind,
                "about": notification.target_label,
                "created_at": notification.created_at.isoformat(),
                "read_at": notification.read_at.isoformat() if notification.read_at else None,
            }
            for notification in Notification.objects.filter(recipient=member).order_by("created_at", "id")
        ],
        "activity": [
            {
                "verb": event.verb,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "created_at": event.created_at.isoformat(),
                "details": event.payload,
            }
            for event in Event.objects.filter(actor=member).order_by("created_at", "id").iterator()
        ],
        **personal_practices(member),
        **personal_circles(member),
        **personal_questions(member),
        **personal_skills(member),
    }


def erasure_refused(member: Member) -> str | None:
    """Why ``member``'s account may not be erased yet, or None: an organisation keeps an admin."""
    if member.role != Role.ORG_ADMIN or member.organisation_id is None:
        return None
    others = Member.objects.filter(organisation_id=member.organisation_id, role=Role.ORG_ADMIN, is_active=True)
    if others.exclude(pk=member.pk).exists():
        return None
    return _(
        "%(name)s est la seule personne à administrer %(organisation)s : nommez d’abord un autre "
        "administrateur ou une autre administratrice."
    ) % {"name": member.full_name, "organisation": member.organisation.name}


def erase_member(member: Member, *, by: Member) -> dict[str, dict[str, int]]:
    """Erase a member's account at their request or their admin's (RGPD, article 17).

    What concerns only them is deleted, app by app (each app's ``erase_member_data`` says what
    it keeps: what others built on). The account itself stays, anonymised, so that what stays is
    credited to « Ancien·ne membre » rather than lost: name, e-mail, presentation, photo, teams
    and sign-in go; the address is freed for a later invitation. Returns what each app removed.
    """
    # The apps below build on people, not the reverse: imported here, as for the export.
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from apprenance.api.models import ApiToken
    from apprenance.community.erasure import erase_member_data as erase_community
    from apprenance.notifications.models import EmailPreference, EmailSettings, Notification
    from apprenance.practices.services import erase_member_data as erase_practices
    from apprenance.questions import profiles
    from apprenance.questions.services import erase_member_data as erase_questions
    from apprenance.skills.models import MemberSkill

    reason = erasure_refused(member)
    if reason:
        raise ValueError(reason)
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        email, photo = member.email, member.photo
        erased = {
            "questions": erase_questions(member),
            "practices": erase_practices(member),
            "community": erase_community(member),
        }
        erased["account"] = {
            "notifications": Notification.objects.filter(recipient=member).delete()[0],
            "skills": MemberSkill.objects.filter(member=member).delete()[0],
            "api_tokens": ApiToken.objects.filter(member=member).delete()[0],
            "invitations": member.invitations_sent.pending().delete()[0],
            "teams": Membership.objects.filter(member=member).delete()[0],
        }
        EmailPreference.objects.filter(member=member).delete()
        EmailSettings.objects.filter(member=member).delete()
        for log in (AccessAttempt, AccessLog, AccessFailureLog):
            log.objects.filter(username=email).delete()
        member.first_name, member.last_name = ERASED_NAME
        member.email = f"efface-{member.pk}@{ERASED_EMAIL_DOMAIN}"
        member.job_title = member.bio = ""
        member.photo = ""
        member.languages = []
        member.role = Role.MEMBER
        member.is_active = member.is_staff = member.is_superuser = False
        member.last_login = None
        member.set_unusable_password()  # also ends the sessions it had open
        member.save()
        profiles.refresh_profiles([member.pk])
        record(by, "member.erased", member, by_themselves=by.pk == member.pk, **erased["account"])
        bump(PEOPLE_GENERATION)
        if photo:
            transaction.on_commit(lambda: photo.delete(save=False))
    return erased
