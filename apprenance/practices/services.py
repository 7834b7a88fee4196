"""Writes about practices. Each function owns its transaction and its side effects: the
activity log, the notifications, the search index, the practice's stored meaning and its
author's expert profile (apprenance.questions.profiles)."""

import uuid

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from apprenance.core import search, semantic
from apprenance.core.activity import record
from apprenance.core.generations import bump
from apprenance.core.highlight import plain_text
from apprenance.core.models import Tag
from apprenance.notifications.services import notify
from apprenance.practices.models import (
    PRACTICES_GENERATION,
    Adoption,
    Attachment,
    Comment,
    Follow,
    Practice,
    Reaction,
    Stage,
    StageChange,
    Status,
    Toolkit,
    ToolkitItem,
    ToolkitSection,
)
from apprenance.practices.ranking import INDEX
from apprenance.questions import profiles
from apprenance.skills.models import Skill

TEXT_FIELDS = ["title", "kind", "context", "what_we_did", "results", "difficulties", "victories"]
EDITABLE_FIELDS = [*TEXT_FIELDS, "team", "visibility"]
BODY_FIELDS = ["context", "what_we_did", "results", "difficulties", "victories"]


def body_text(practice: Practice, tags=(), skills=()) -> str:
    """What the index and the stored meaning read besides the title."""
    parts = [plain_text(getattr(practice, name)) for name in BODY_FIELDS]
    parts.extend(str(label) for label in (*tags, *skills))
    return "\n".join(part for part in parts if part)


def refresh_search(practice: Practice, tags, skills) -> None:
    """Index the practice and store its meaning; called inside every write's transaction."""
    body = body_text(practice, tags, skills)
    search.index(INDEX, practice.pk, practice.title, body)
    vector = semantic.passage_vector(f"{practice.title}. {body}")
    Practice.objects.filter(pk=practice.pk).update(embedding=semantic.encode(vector))


def set_labels(practice: Practice, tags: list[str], skills: list[str]) -> tuple[list, list]:
    """Give the practice exactly these tags and skills (by name); return them."""
    tag_objects, skill_objects = Tag.objects.named(tags), Skill.objects.named(skills)
    practice.tags.set(tag_objects)
    practice.skills.set(skill_objects)
    return tag_objects, skill_objects


def create_practice(author, data: dict, *, publish: bool) -> Practice:
    """A new practice by ``author`` from cleaned form data, published or kept as a draft."""
    now = timezone.now()
    with transaction.atomic():
        practice = Practice.objects.create(
            author=author,
            organisation_id=author.organisation_id,
            status=Status.PUBLISHED if publish else Status.DRAFT,
            published_at=now if publish else None,
            created_at=now,
            updated_at=now,
            **{name: data[name] for name in EDITABLE_FIELDS if name in data},
        )
        tags, skills = set_labels(practice, data.get("tags", []), data.get("skills", []))
        refresh_search(practice, tags, skills)
        practice.follows.create(member=author)
        record(author, "practice.created", practice, team=practice.team)
        if publish:
            record(author, "practice.published", practice, team=practice.team)
            profiles.refresh_profiles([author.pk])
        bump(PRACTICES_GENERATION)
    return practice


def update_practice(editor, practice: Practice, data: dict, *, publish: bool = False, tell_author=True) -> Practice:
    """Apply an edit and keep what each changed field said before, with who changed it; an author
    whose practice someone else edited is told (unless the edit is the platform's own, ``tell_author``)."""
    with transaction.atomic():
        practice = Practice.objects.select_for_update().get(pk=practice.pk)
        previous, changed = {}, []
        for name in EDITABLE_FIELDS:
            if name not in data:
                continue
            before = getattr(practice, name)
            if before != data[name]:
                previous[name] = before.pk if hasattr(before, "pk") else before
                changed.append(name)
                setattr(practice, name, data[name])
        old_tags = sorted(practice.tags.values_list("name", flat=True))
        old_skills = sorted(practice.skills.values_list("name", flat=True))
        tags, skills = set_labels(practice, data.get("tags", old_tags), data.get("skills", old_skills))
        if sorted(t.name for t in tags) != old_tags:
            previous["tags"], changed = old_tags, [*changed, "tags"]
        if sorted(s.name for s in skills) != old_skills:
            previous["skills"], changed = old_skills, [*changed, "skills"]
        newly_published = publish and practice.status == Status.DRAFT
        if newly_published:
            practice.status = Status.PUBLISHED
            practice.published_at = timezone.now()
        if changed or newly_published:
            practice.updated_at = timezone.now()
            practice.save()
            if changed:
                practice.revisions.create(editor=editor, changed=changed, previous=previous)
                record(editor, "practice.updated", practice, team=practice.team, fields=changed)
                if tell_author:
                    notify(practice.author, "moderation.edited", practice, actor=editor)
            if newly_published:
                record(editor, "practice.published", practice, team=practice.team)
            refresh_search(practice, tags, skills)
            if practice.status == Status.PUBLISHED:
                profiles.refresh_profiles([practice.author_id])
            bump(PRACTICES_GENERATION)
    return practice


def set_status(member, practice: Practice, status: str) -> None:
    """Archive a practice (it leaves the lists) or bring it back."""
    with transaction.atomic():
        if (
            Practice.objects.filter(pk=practice.pk)
            .exclude(status=status)
            .update(status=status, updated_at=timezone.now())
        ):
            record(member, f"practice.{status}", practice, team=practice.team)
            if status == Status.ARCHIVED:
                notify(practice.author, "moderation.archived", practice, actor=member)
            profiles.refresh_profiles([practice.author_id])
            bump(PRACTICES_GENERATION)


def delete_practice(member, practice: Practice) -> None:
    """Delete a practice for good: its rows, its files, its search document, its weight in its
    author's expert profile."""
    files = [attachment.file for attachment in practice.attachments.all()]
    with transaction.atomic():
        record(member, "practice.deleted", practice, team=practice.team, title=practice.title)
        notify(practice.author, "moderation.deleted", practice, actor=member, linked=False)
        search.remove(INDEX, [practice.pk])
        practice.delete()
        profiles.refresh_profiles([practice.author_id])
        bump(PRACTICES_GENERATION)
    transaction.on_commit(lambda: [file.delete(save=False) for file in files])


def attach_file(member, practice: Practice, upload, *, kind: str, extension: str, name: str) -> Attachment:
    """Store an uploaded file with the practice; its name on disk is ours, never the uploader's."""
    with transaction.atomic():
        attachment = Attachment(
            practice=practice, kind=kind, name=name or upload.name[:200], size=upload.size, uploaded_by=member
        )
        attachment.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
        attachment.save()
        record(member, "practice.attachment_added", practice, kind=kind)
    return attachment


def remove_attachment(member, attachment: Attachment) -> None:
    with transaction.atomic():
        attachment.delete()
        record(member, "practice.attachment_removed", attachment.practice)
    transaction.on_commit(lambda: attachment.file.delete(save=False))


def add_comment(author, practice: Practice, body: str, parent: Comment | None = None) -> Comment:
    """A comment, or a reply to a top-level comment; followers hear of it."""
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent  # threads stay one level deep
    with transaction.atomic():
        comment = Comment.objects.create(practice=practice, author=author, body=body, parent=parent)
        Practice.objects.filter(pk=practice.pk).update(comment_count=F("comment_count") + 1)
        bump(PRACTICES_GENERATION)  # the lists show each practice's number of comments
        Follow.objects.get_or_create(practice=practice, member=author)
        record(author, "practice.commented", practice, team=_team_of(author), comment=comment.pk)
        for follow in Follow.objects.filter(practice=practice).exclude(member=author).select_related("member"):
            notify(follow.member, "practice.commented", practice, author)
        replying_to_someone = parent is not None and parent.author_id != author.pk
        if replying_to_someone and not Follow.objects.filter(practice=practice, member_id=parent.author_id).exists():
            notify(parent.author, "practice.commented", practice, author)
    return comment


def toggle_reaction(member, practice: Practice, kind: str) -> bool:
    """Add the member's « utile » or « merci », or take it back; returns whether it is now on."""
    counter = {"useful": "useful_count", "thanks": "thanks_count"}[kind]
    with transaction.atomic():
        deleted, _ = Reaction.objects.filter(practice=practice, member=member, kind=kind).delete()
        if deleted:
            Practice.objects.filter(pk=practice.pk).update(**{counter: F(counter) - 1})
            return False
        Reaction.objects.create(practice=practice, member=member, kind=kind)
        Practice.objects.filter(pk=practice.pk).update(**{counter: F(counter) + 1})
        record(member, "practice.reacted", practice, team=_team_of(member), kind=kind)
        notify(practice.author, f"practice.{kind}", practice, member)
    return True


def toggle_follow(member, practice: Practice) -> bool:
    with transaction.atomic():
        deleted, _ = Follow.objects.filter(practice=practice, member=member).delete()
        if deleted:
            return False
        Follow.objects.create(practice=practice, member=member)
    return True


def adopt_practice(member, practice: Practice, *, team, outcome: str, note: str) -> Adoption:
    """« Je l’ai essayée » : record it (or update an earlier try); the author hears of it."""
    with transaction.atomic():
        adoption, created = Adoption.objects.update_or_create(
            practice=practice,
            member=member,
            defaults={
                "team": team,
                "organisation_id": team.organisation_id,
                "outcome": outcome,
                "note": note,
                "updated_at": timezone.now(),
            },
        )
        if created:
            Practice.objects.filter(pk=practice.pk).update(adoption_count=F("adoption_count") + 1)
            if practice.stage == Stage.PROPOSED:
                Practice.objects.filter(pk=practice.pk).update(stage=Stage.TRIED)
                StageChange.objects.create(practice=practice, stage=Stage.TRIED, decided_by=member)
        record(member, "practice.adopted", practice, team=team, outcome=outcome, updated=not created)
        notify(practice.author, "practice.adopted", practice, member, outcome=adoption.get_outcome_display())
        bump(PRACTICES_GENERATION)
    return adoption


def decide_stage(animator, practice: Practice, stage: str, reason: str) -> None:
    """An animator retains a practice or retires it, and says why."""
    with transaction.atomic():
        Practice.objects.filter(pk=practice.pk).update(stage=stage)
        StageChange.objects.create(practice=practice, stage=stage, decided_by=animator, reason=reason)
        record(animator, f"practice.{stage}", practice, reason=reason)
        notify(practice.author, f"practice.{stage}", practice, animator)
        bump(PRACTICES_GENERATION)


def retain_in_toolkit(animator, practice: Practice, section: ToolkitSection, note: str) -> ToolkitItem:
    """Put a practice in a section of the mallette (at the end), with the animator's note."""
    with transaction.atomic():
        position = (section.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        item, created = ToolkitItem.objects.update_or_create(
            section=section, practice=practice, defaults={"note": note}
        )
        if created:
            ToolkitItem.objects.filter(pk=item.pk).update(position=position)
        Toolkit.objects.filter(pk=section.toolkit_id).update(updated_at=timezone.now())
        if practice.stage != Stage.RETAINED:
            Practice.objects.filter(pk=practice.pk).update(stage=Stage.RETAINED)
            StageChange.objects.create(
                practice=practice, stage=Stage.RETAINED, decided_by=animator, reason=note or section.title
            )
            notify(practice.author, "practice.retained", practice, animator)
        record(animator, "practice.retained", practice, toolkit=section.toolkit_id)
        bump(PRACTICES_GENERATION)
    return item


def _team_of(member):
    """The member's first team, for the activity log's cross-team measures."""
    return member.teams.order_by("name").first()


def erase_member_data(member) -> dict[str, int]:
    """Forget what a member did about practices when their account is erased (RGPD, article 17);
    returns how many of each were removed.

    What concerns only them goes: their « utile » and « merci », the practices they follow, their
    comments nobody answered, their drafts and the practices nobody else built on. What others
    built on stays, credited to the account its erasure anonymises: a practice others commented
    on, reacted to, tried or retained in the toolkit; a comment others replied to; the trials
    teams made (the spread of a practice belongs to those who tried it too).
    """
    with transaction.atomic():
        for kind, counter in (("useful", "useful_count"), ("thanks", "thanks_count")):
            reacted = list(Reaction.objects.filter(member=member, kind=kind).values_list("practice_id", flat=True))
            Practice.objects.filter(pk__in=reacted).update(**{counter: F(counter) - 1})
        erased = {"reactions": Reaction.objects.filter(member=member).delete()[0]}
        erased["follows"] = Follow.objects.filter(member=member).delete()[0]

        answered = Comment.objects.filter(parent=OuterRef("pk")).exclude(author=member)
        unanswered = Comment.objects.filter(author=member).exclude(Exists(answered))
        commented = set(unanswered.values_list("practice_id", flat=True))
        erased["comments"] = unanswered.count()
        unanswered.delete()  # with their own replies under them
        for practice_id in commented:
            Practice.objects.filter(pk=practice_id).update(
                comment_count=Comment.objects.filter(practice_id=practice_id).count()
            )

        others = {
            "comments": Comment.objects.filter(practice=OuterRef("pk")).exclude(author=member),
            "reactions": Reaction.objects.filter(practice=OuterRef("pk")).exclude(member=member),
            "adoptions": Adoption.objects.filter(practice=OuterRef("pk")).exclude(member=member),
            "toolkit": ToolkitItem.objects.filter(practice=OuterRef("pk")),
        }
        alone = Practice.objects.filter(author=member)
        for built_on in others.values():
            alone = alone.exclude(Exists(built_on))
        erased["practices"] = 0
        for practice in alone:
            delete_practice(member, practice)
            erased["practices"] += 1
    return erased
