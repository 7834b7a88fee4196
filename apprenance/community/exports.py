"""What a member did in circles, live sessions and campaigns, for their personal data export (RGPD)."""

from apprenance.community.models import (
    CircleMembership,
    CirclePost,
    PromptAnswer,
    PromptRecipient,
    Registration,
    SessionFeedback,
)


def personal_data(member) -> dict:
    feedback = {
        f.registration_id: {"rating": f.rating, "comment": f.comment}
        for f in SessionFeedback.objects.filter(registration__member=member)
    }
    return {
        "circles": [
            {
                "name": m.circle.name,
                "starts_on": m.circle.starts_on.isoformat(),
                "ends_on": m.circle.ends_on.isoformat() if m.circle.ends_on else None,
                "joined_at": m.joined_at.isoformat(),
            }
            for m in CircleMembership.objects.filter(member=member).select_related("circle").order_by("joined_at", "pk")
        ],
        "circle_posts": [
            {"circle": post.circle.name, "body": post.body, "created_at": post.created_at.isoformat()}
            for post in CirclePost.objects.filter(author=member).select_related("circle").order_by("created_at", "pk")
        ],
        "session_registrations": [
            {
                "session": r.session.title,
                "starts_at": r.session.starts_at.isoformat(),
                "status": r.status,
                "registered_at": r.created_at.isoformat(),
                "attended": r.attended,
                "feedback": feedback.get(r.pk),
            }
            for r in Registration.objects.filter(member=member).select_related("session").order_by("created_at", "pk")
        ],
        "campaign_prompts_received": [
            {
                "campaign": r.prompt.campaign.name,
                "theme": r.prompt.theme,
                "sent_at": r.sent_at.isoformat(),
                "reminded_at": r.reminded_at.isoformat() if r.reminded_at else None,
            }
            for r in PromptRecipient.objects.filter(member=member)
            .select_related("prompt__campaign")
            .order_by("sent_at", "pk")
        ],
        "campaign_answers": [
            {
                "campaign": a.prompt.campaign.name,
                "theme": a.prompt.theme,
                "body": a.body,
                "created_at": a.created_at.isoformat(),
            }
            for a in PromptAnswer.objects.filter(author=member)
            .select_related("prompt__campaign")
            .order_by("created_at", "pk")
        ],
    }
