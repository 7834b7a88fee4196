"""What a member wrote or did about questions, for their personal data export (RGPD, article 20).

Their erasure (article 17) is services.erase_member_data.
"""

from apprenance.questions.models import (
    Answer,
    AnswerComment,
    AnswerVote,
    ExpertSettings,
    Question,
    QuestionFollow,
    Solicitation,
)


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def personal_data(member) -> dict:
    settings_row = ExpertSettings.objects.filter(member=member).first()
    questions = Question.objects.filter(author=member).prefetch_related("tags", "skills")
    return {
        "questions": [
            {
                "title": q.title,
                "details": q.details,
                "visibility": q.visibility,
                "status": q.status,
                "tags": [tag.name for tag in q.tags.all()],
                "skills": [skill.name for skill in q.skills.all()],
                "created_at": q.created_at.isoformat(),
                "updated_at": q.updated_at.isoformat(),
            }
            for q in questions.order_by("created_at", "pk")
        ],
        "answers": [
            {
                "question": a.question.title,
                "body": a.body,
                "accepted": a.is_accepted,
                "useful_count": a.useful_count,
                "became_practice": a.practice.title if a.practice else None,
                "created_at": a.created_at.isoformat(),
                "updated_at": a.updated_at.isoformat(),
            }
            for a in Answer.objects.filter(author=member)
            .select_related("question", "practice")
            .order_by("created_at", "pk")
        ],
        "answer_comments": [
            {"question": c.answer.question.title, "body": c.body, "created_at": c.created_at.isoformat()}
            for c in AnswerComment.objects.filter(author=member).select_related("answer__question").order_by("pk")
        ],
        "answer_votes": [
            {"question": title, "created_at": created_at.isoformat()}
            for title, created_at in AnswerVote.objects.filter(member=member)
            .order_by("created_at", "pk")
            .values_list("answer__question__title", "created_at")
        ],
        "questions_followed": [
            {"question": title, "since": since.isoformat()}
            for title, since in QuestionFollow.objects.filter(member=member)
            .order_by("created_at", "pk")
            .values_list("question__title", "created_at")
        ],
        "solicitations": [
            {
                "question": s.question.title,
                "rank": s.rank,
                "reasons": s.reasons,
                "created_at": s.created_at.isoformat(),
                "notified_at": _when(s.notified_at),
                "declined": s.declined_at is not None,
                "declined_at": _when(s.declined_at),
            }
            for s in Solicitation.objects.filter(expert=member).select_related("question").order_by("pk")
        ],
        "solicitations_paused": bool(settings_row and settings_row.paused),
    }
