"""What a member wrote or did about questions, for their personal data export (RGPD)."""

from apprenance.questions.models import Answer, AnswerComment, AnswerVote, ExpertSettings, Question, Solicitation


def personal_data(member) -> dict:
    settings_row = ExpertSettings.objects.filter(member=member).first()
    return {
        "questions": [
            {"title": q.title, "details": q.details, "visibility": q.visibility, "created_at": q.created_at.isoformat()}
            for q in Question.objects.filter(author=member).order_by("created_at", "pk")
        ],
        "answers": [
            {
                "question": a.question.title,
                "body": a.body,
                "accepted": a.is_accepted,
                "created_at": a.created_at.isoformat(),
            }
            for a in Answer.objects.filter(author=member).select_related("question").order_by("created_at", "pk")
        ],
        "answer_comments": [
            {"question": c.answer.question.title, "body": c.body, "created_at": c.created_at.isoformat()}
            for c in AnswerComment.objects.filter(author=member).select_related("answer__question").order_by("pk")
        ],
        "answer_votes": list(
            AnswerVote.objects.filter(member=member).order_by("pk").values_list("answer__question__title", flat=True)
        ),
        "solicitations": [
            {
                "question": s.question.title,
                "notified_at": s.notified_at.isoformat() if s.notified_at else None,
                "declined_at": s.declined_at.isoformat() if s.declined_at else None,
            }
            for s in Solicitation.objects.filter(expert=member).select_related("question").order_by("pk")
        ],
        "solicitations_paused": bool(settings_row and settings_row.paused),
    }
