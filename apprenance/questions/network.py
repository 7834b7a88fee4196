"""The questions sections of the ``apprenance-network`` file: questions, answers (one of them
possibly accepted) and « utile » votes on answers (docs/import-format.md). Called by
apprenance.people.network, which validates the whole file before anything is written and wraps
the import in one transaction.

Keys, for idempotence: a question by its ``ref``; an answer by its ``ref`` (or, without one, its
question, author and text); a vote by (answer, member). Imported questions are indexed and their
meaning stored like asked ones, but nobody is solicited: they are the network's history.
"""

from django.db.models import Count, Min
from django.utils import timezone

from apprenance.core.generations import bump
from apprenance.core.models import Tag
from apprenance.people.models import Member
from apprenance.practices.models import Visibility
from apprenance.practices.network import _check_created_at, _count, _created_at, _list
from apprenance.questions import finding, profiles
from apprenance.questions.models import QUESTIONS_GENERATION, Answer, AnswerVote, Question, Status
from apprenance.skills.models import Skill

SECTIONS = ("questions", "answers", "answer_votes")


def validate(problems, data) -> None:
    """Add every problem of the questions sections to ``problems`` (paths included)."""
    from apprenance.people.network import _choice, _list_of_strings, _objects, _text

    for section in SECTIONS:
        if section in data and not isinstance(data[section], list):
            problems.add(section, "must be a list")
    if not any(isinstance(data.get(section), list) for section in SECTIONS):
        return
    members = set(Member.objects.filter(organisation__isnull=False).values_list("email", flat=True))
    for member in _list(data, "members"):
        if isinstance(member, dict) and isinstance(member.get("email"), str):
            members.add(member["email"].strip().lower())
    questions = dict(Question.objects.exclude(ref="").values_list("ref", "author__email"))
    answers = dict(Answer.objects.exclude(ref="").values_list("ref", "author__email"))

    def member(record_, key, path):
        email = _text(problems, record_, key, path, 254, required=True)
        if email and email.lower() not in members:
            problems.add(f"{path}.{key}", f"no member with e-mail {email!r}")
            return None
        return email.lower() if email else None

    seen = set()
    for path, record_ in _objects(problems, _list(data, "questions"), "questions"):
        ref = _text(problems, record_, "ref", path, 80, required=True)
        if ref in seen:
            problems.add(f"{path}.ref", f"{ref!r} appears twice in the file")
        title = _text(problems, record_, "title", path, 200, required=True)
        if title and len(title) < 10:
            problems.add(f"{path}.title", "must be at least 10 characters long")
        _text(problems, record_, "body", path, None, required=False)
        _choice(problems, record_, "visibility", path, Visibility.values)
        email = member(record_, "author", path)
        for key in ("tags", "skills"):
            labels = _list_of_strings(problems, record_, key, path) or []
            if any(len(label) > 60 or not label for label in labels):
                problems.add(f"{path}.{key}", "each must be 1 to 60 characters long")
        _check_created_at(problems, record_, path)
        if ref:
            seen.add(ref)
            questions[ref] = email

    accepted, seen = set(), set()
    for path, record_ in _objects(problems, _list(data, "answers"), "answers"):
        question = _text(problems, record_, "question", path, 80, required=True)
        if question and question not in questions:
            problems.add(f"{path}.question", f"no question with ref {question!r}")
        ref = _text(problems, record_, "ref", path, 80, required=False)
        if ref and ref in seen:
            problems.add(f"{path}.ref", f"{ref!r} appears twice in the file")
        email = member(record_, "author", path)
        _text(problems, record_, "body", path, 10_000, required=True)
        _check_created_at(problems, record_, path)
        if "accepted" in record_ and not isinstance(record_["accepted"], bool):
            problems.add(f"{path}.accepted", "must be true or false")
        if record_.get("accepted") is True:
            if question in accepted:
                problems.add(f"{path}.accepted", "another answer to this question is accepted already")
            accepted.add(question)
        if ref:
            seen.add(ref)
            answers[ref] = email

    seen = set()
    for path, record_ in _objects(problems, _list(data, "answer_votes"), "answer_votes"):
        answer = _text(problems, record_, "answer", path, 80, required=True)
        email = member(record_, "member", path)
        if answer and answer not in answers:
            problems.add(f"{path}.answer", f"no answer with ref {answer!r}")
        elif answer and email and answers[answer] == email:
            problems.add(f"{path}.member", "members do not vote for their own answer")
        if (answer, email) in seen:
            problems.add(path, "the same vote appears twice in the file")
        seen.add((answer, email))


def import_sections(data, report) -> None:
    """Write the questions sections of a file already validated (inside the caller's transaction)."""
    if not any(_list(data, section) for section in SECTIONS):
        return
    members = {m.email: m for m in Member.objects.filter(organisation__isnull=False)}
    questions = {q.ref: q for q in Question.objects.exclude(ref="")}
    for record_ in _list(data, "questions"):
        _import_question(record_, members, questions, report)
    touched = set()
    for record_ in _list(data, "answers"):
        touched.add(_import_answer(record_, members, questions, report))
    answers = {a.ref: a for a in Answer.objects.exclude(ref="")}
    for record_ in _list(data, "answer_votes"):
        answer = answers[record_["answer"].strip()]
        _vote, created = AnswerVote.objects.get_or_create(
            answer=answer, member=members[record_["member"].strip().lower()]
        )
        if created:
            _count(report, "answer_votes", True)
            touched.add(answer.question_id)
    for answer in Answer.objects.filter(question_id__in=touched).annotate(vote_total=Count("votes")):
        if answer.useful_count != answer.vote_total:
            Answer.objects.filter(pk=answer.pk).update(useful_count=answer.vote_total)
    _refresh_counts(touched)
    profiles.refresh_profiles(Answer.objects.filter(question_id__in=touched).values_list("author_id", flat=True))
    bump(QUESTIONS_GENERATION)


def _import_question(record_, members, questions, report):
    author = members[record_["author"].strip().lower()]
    ref = record_["ref"].strip()
    values = {
        "title": " ".join(record_["title"].split()),
        "details": (record_.get("body") or "").strip(),
        "visibility": record_.get("visibility") or Visibility.NETWORK,
    }
    tag_names = [label.strip() for label in record_.get("tags", [])]
    skill_names = [label.strip() for label in record_.get("skills", [])]
    question = questions.get(ref)
    if question is None:
        created_at = _created_at(record_) or timezone.now()
        question = Question.objects.create(
            ref=ref,
            author=author,
            organisation_id=author.organisation_id,
            team=author.teams.order_by("name").first(),
            created_at=created_at,
            updated_at=created_at,
            **values,
        )
        created = True
    else:
        old_tags = sorted(question.tags.values_list("name", flat=True))
        old_skills = sorted(question.skills.values_list("name", flat=True))
        changed = [key for key, value in values.items() if getattr(question, key) != value]
        if not changed and old_tags == sorted(tag_names) and old_skills == sorted(skill_names):
            return
        for key in changed:
            setattr(question, key, values[key])
        question.save()
        created = False
    tags, skills = Tag.objects.named(tag_names), Skill.objects.named(skill_names)
    question.tags.set(tags)
    question.skills.set(skills)
    finding.refresh_question(question, tags, skills)
    questions[ref] = question
    _count(report, "questions", created)


def _import_answer(record_, members, questions, report) -> int:
    question = questions[record_["question"].strip()]
    author = members[record_["author"].strip().lower()]
    ref, body = (record_.get("ref") or "").strip(), record_["body"].strip()
    existing = Answer.objects.filter(
        **({"ref": ref} if ref else {"question": question, "author": author, "body": body})
    )
    answer = existing.first()
    if answer is None:
        created_at = _created_at(record_) or timezone.now()
        answer = Answer.objects.create(
            ref=ref, question=question, author=author, body=body, created_at=created_at, updated_at=created_at
        )
        _count(report, "answers", True)
    elif answer.body != body:
        Answer.objects.filter(pk=answer.pk).update(body=body, updated_at=timezone.now())
        answer.body = body
        _count(report, "answers", False)
    if record_.get("accepted") is True and not answer.is_accepted:
        Answer.objects.filter(question=question, is_accepted=True).update(is_accepted=False)
        Answer.objects.filter(pk=answer.pk).update(is_accepted=True)
        Question.objects.filter(pk=question.pk).update(accepted_answer=answer)
    answer.question = question
    finding.refresh_answer(answer)
    return question.pk


def _refresh_counts(question_ids) -> None:
    """Each question's number of answers, first answer time and status, from its answers."""
    rows = (
        Answer.objects.filter(question_id__in=question_ids)
        .values("question_id")
        .annotate(total=Count("pk"), first=Min("created_at"))
    )
    for row in rows:
        Question.objects.filter(pk=row["question_id"]).update(
            answer_count=row["total"], first_answer_at=row["first"], status=Status.ANSWERED
        )


def export_sections() -> dict:
    """The questions sections, sorted so that two exports compare equal; rows get a ref if needed."""
    for question in Question.objects.filter(ref=""):
        Question.objects.filter(pk=question.pk).update(ref=f"question-{question.pk}")
    for answer in Answer.objects.filter(ref=""):
        Answer.objects.filter(pk=answer.pk).update(ref=f"answer-{answer.pk}")
    questions = Question.objects.select_related("author").prefetch_related("tags", "skills").order_by("ref")
    answers = Answer.objects.select_related("question", "author").order_by("question__ref", "created_at", "ref")
    return {
        "questions": [
            {
                "ref": q.ref,
                "title": q.title,
                "body": q.details,
                "author": q.author.email,
                "visibility": q.visibility,
                "tags": sorted(tag.name for tag in q.tags.all()),
                "skills": sorted(skill.name for skill in q.skills.all()),
                "created_at": q.created_at.isoformat(),
            }
            for q in questions
        ],
        "answers": [
            {
                "ref": a.ref,
                "question": a.question.ref,
                "author": a.author.email,
                "body": a.body,
                "accepted": a.is_accepted,
                "created_at": a.created_at.isoformat(),
            }
            for a in answers
        ],
        "answer_votes": [
            {"answer": ref, "member": email}
            for ref, email in AnswerVote.objects.order_by("answer__ref", "member__email").values_list(
                "answer__ref", "member__email"
            )
        ],
    }
