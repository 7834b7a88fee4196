"""What erasing a member's account removes from circles, live sessions and campaigns (RGPD, article 17)."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apprenance.community import sessions
from apprenance.community.models import (
    CalendarToken,
    CircleMembership,
    CirclePost,
    PromptAnswer,
    PromptRecipient,
    Registration,
    RegistrationStatus,
)


def erase_member_data(member) -> dict[str, int]:
    """Forget what a member did in circles, sessions and campaigns; returns how many of each were removed.

    Their seats in sessions to come are given up first, so that the first people waiting take
    them; then their registrations (with their feedback), their places in circles, their circle
    messages nobody answered, the campaign prompts they received and their answers, and their
    calendar link go. A circle message others replied to stays, credited to the anonymised account.
    """
    with transaction.atomic():
        coming = (
            Registration.objects.filter(member=member, session__ends_at__gt=timezone.now())
            .exclude(status=RegistrationStatus.CANCELLED)
            .select_related("session")
        )
        for registration in coming:
            sessions.cancel_registration(member, registration.session)
        registrations = Registration.objects.filter(member=member)
        erased = {"registrations": registrations.count()}
        registrations.delete()
        erased["circles"] = CircleMembership.objects.filter(member=member).delete()[0]
        answered = CirclePost.objects.filter(parent=OuterRef("pk")).exclude(author=member)
        unanswered = CirclePost.objects.filter(author=member).exclude(Exists(answered))
        erased["circle_posts"] = unanswered.count()
        unanswered.delete()
        erased["campaign_prompts"] = PromptRecipient.objects.filter(member=member).delete()[0]
        erased["campaign_answers"] = PromptAnswer.objects.filter(author=member).delete()[0]
        CalendarToken.objects.filter(member=member).delete()
    return erased
