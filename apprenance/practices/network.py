"""The practices sections of the ``apprenance-network`` file: practices, comments, reactions,
adoptions and toolkits (docs/import-format.md). Called by apprenance.people.network, which
validates the whole file before anything is written and wraps the import in one transaction.

Keys, for idempotence: a practice by its ``ref`` (or, without one, its author and title); a comment
by its practice and ``ref`` (or author and text); a reaction by (practice, member, kind); an
adoption by (practice, member); a toolkit by its ``slug``, a section by its title, an item by its
practice.
"""

from datetime import datetime

from django.db.models import F
from django.utils import timezone

from apprenance.people.models import Member, Team
from apprenance.practices import services
from apprenance.practices.models import (
    Adoption,
    Comment,
    Kind,
    Outcome,
    Practice,
    Reaction,
    Stage,
    StageChange,
    Status,
    Toolkit,
    ToolkitItem,
    ToolkitSection,
    Visibility,
)
from apprenance.questions import profiles

SECTIONS = ("practices", "comments", "reactions", "adoptions", "toolkits")
PRACTICE_TEXTS = {"title": (200, True), "context": (None, True), "what_we_did": (None, True), "results": (None, True)}
PRACTICE_OPTIONAL_TEXTS = {"difficulties": None, "victories": None}


def _created_at(record_) -> datetime | None:
    """The record's ``created_at`` as an aware datetime, or None when absent or not one."""
    value = record_.get("created_at")
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def _check_created_at(problems, record_, path) -> None:
    if record_.get("created_at") is not None and _created_at(record_) is None:
        problems.add(f"{path}.created_at", "must be an ISO 8601 date and time with its offset")


class _Context:
    """What the file and the database already hold, for cross-references."""

    def __init__(self, data, teams_by_slug):
        self.teams_by_slug = teams_by_slug
        self.member_orgs = dict(
            Member.objects.filter(organisation__isnull=False).values_list("email", "organisation__slug")
        )
        for member in data.get("members", []) if isinstance(data.get("members"), list) else []:
            if isinstance(member, dict) and isinstance(member.get("email"), str):
                self.member_orgs[member["email"].strip().lower()] = str(member.get("organisation", "")).strip()
        self.practices = {
            ref: (status, visibility, author)
            for ref, status, visibility, author in Practice.objects.exclude(ref="").values_list(
                "ref", "status", "visibility", "author__email"
            )
        }
        self.comment_refs: dict[tuple[str, str], bool] = {}  # (practice, ref) → is a reply


def validate(problems, data, teams_by_slug) -> None:
    """Add every problem of the practices sections to ``problems`` (paths included)."""
    from apprenance.people.network import _choice, _list_of_strings, _objects, _text

    for section in SECTIONS:
        if section in data and not isinstance(data[section], list):
            problems.add(section, "must be a list")
    if not any(isinstance(data.get(section), list) for section in SECTIONS):
        return
    context = _Context(data, teams_by_slug)

    def member(record_, key, path):
        email = _text(problems, record_, key, path, 254, required=True)
        if email and email.lower() not in context.member_orgs:
            problems.add(f"{path}.{key}", f"no member with e-mail {email!r}")
            return None
        return email.lower() if email else None

    def team_of(record_, email, path):
        name = _text(problems, record_, "team", path, 160, required=False)
        slug = context.member_orgs.get(email or "")
        if name and slug and name not in context.teams_by_slug.get(slug, set()):
            problems.add(f"{path}.team", f"no team named {name!r} in {slug!r}")

    def practice_ref(record_, path):
        ref = _text(problems, record_, "practice", path, 80, required=True)
        if ref and ref not in context.practices:
            problems.add(f"{path}.practice", f"no practice with ref {ref!r}")
            return None
        return ref

    seen_refs = set()
    for path, record_ in _objects(problems, _list(data, "practices"), "practices"):
        ref = _text(problems, record_, "ref", path, 80, required=False)
        if ref and ref in seen_refs:
            problems.add(f"{path}.ref", f"{ref!r} appears twice in the file")
        for key, (length, required) in PRACTICE_TEXTS.items():
            _text(problems, record_, key, path, length, required=required)
        for key in PRACTICE_OPTIONAL_TEXTS:
            _text(problems, record_, key, path, None, required=False)
        for key, choices in (("kind", Kind.values), ("visibility", Visibility.values), ("status", Status.values)):
            if key not in record_:
                problems.add(f"{path}.{key}", "is required")
            _choice(problems, record_, key, path, choices)
        email = member(record_, "author", path)
        team_of(record_, email, path)
        for key in ("tags", "skills"):
            labels = _list_of_strings(problems, record_, key, path) or []
            if any(len(label) > 60 or not label for label in labels):
                problems.add(f"{path}.{key}", "each must be 1 to 60 characters long")
        _check_created_at(problems, record_, path)
        if ref:
            seen_refs.add(ref)
            context.practices[ref] = (record_.get("status"), record_.get("visibility"), email)

    for path, record_ in _objects(problems, _list(data, "comments"), "comments"):
        ref = practice_ref(record_, path)
        member(record_, "author", path)
        _text(problems, record_, "body", path, 5000, required=True)
        comment_ref = _text(problems, record_, "ref", path, 80, required=False)
        reply_to = _text(problems, record_, "reply_to", path, 80, required=False)
        if reply_to and context.comment_refs.get((ref, reply_to)) is not False:
            problems.add(f"{path}.reply_to", f"no top-level comment {reply_to!r} before it on this practice")
        if ref and comment_ref:
            if (ref, comment_ref) in context.comment_refs:
                problems.add(f"{path}.ref", f"{comment_ref!r} appears twice on this practice")
            context.comment_refs[(ref, comment_ref)] = bool(reply_to)
        _check_created_at(problems, record_, path)

    seen_reactions = set()
    for path, record_ in _objects(problems, _list(data, "reactions"), "reactions"):
        ref, email = practice_ref(record_, path), member(record_, "member", path)
        kind = _choice(problems, record_, "kind", path, Reaction.ReactionKind.values)
        if "kind" not in record_:
            problems.add(f"{path}.kind", "is required")
        if ref and email and context.practices[ref][2] == email:
            problems.add(f"{path}.member", "members do not react to their own practice")
        if (ref, email, kind) in seen_reactions:
            problems.add(path, "the same reaction appears twice in the file")
        seen_reactions.add((ref, email, kind))

    seen_adoptions = set()
    for path, record_ in _objects(problems, _list(data, "adoptions"), "adoptions"):
        ref, email = practice_ref(record_, path), member(record_, "member", path)
        team_of(record_, email, path)
        if "outcome" not in record_:
            problems.add(f"{path}.outcome", "is required")
        _choice(problems, record_, "outcome", path, Outcome.values)
        _text(problems, record_, "note", path, 2000, required=False)
        _check_created_at(problems, record_, path)
        if ref and email and context.practices[ref][2] == email:
            problems.add(f"{path}.member", "authors do not adopt their own practice")
        if (ref, email) in seen_adoptions:
            problems.add(path, "the same member adopts this practice twice in the file")
        seen_adoptions.add((ref, email))

    for path, record_ in _objects(problems, _list(data, "toolkits"), "toolkits"):
        _text(problems, record_, "slug", path, 80, required=True)
        _text(problems, record_, "title", path, 160, required=True)
        _text(problems, record_, "description", path, None, required=False)
        if record_.get("curator") is not None:
            member(record_, "curator", path)
        sections = record_.get("sections", [])
        if not isinstance(sections, list):
            problems.add(f"{path}.sections", "must be a list")
            continue
        for section_path, section in _objects(problems, sections, f"{path}.sections"):
            _text(problems, section, "title", section_path, 160, required=True)
            items = section.get("items", [])
            if not isinstance(items, list):
                problems.add(f"{section_path}.items", "must be a list")
                continue
            for item_path, item in _objects(problems, items, f"{section_path}.items"):
                ref = practice_ref(item, item_path)
                _text(problems, item, "note", item_path, 1000, required=False)
                if ref and context.practices[ref][0] != Status.PUBLISHED:
                    problems.add(f"{item_path}.practice", "only published practices go in a toolkit")


def _list(data, key) -> list:
    value = data.get(key, [])
    return value if isinstance(value, list) else []


def import_sections(data, report) -> None:
    """Write the practices sections of a file already validated (inside the caller's transaction)."""
    if not any(_list(data, section) for section in SECTIONS):
        return
    members = {m.email: m for m in Member.objects.filter(organisation__isnull=False)}
    teams = {(team.organisation_id, team.name): team for team in Team.objects.all()}
    practices = {p.ref: p for p in Practice.objects.exclude(ref="")}
    written = {_import_practice(record_, members, teams, practices, report) for record_ in _list(data, "practices")}
    profiles.refresh_profiles(written - {None})
    for record_ in _list(data, "comments"):
        _import_comment(record_, members, practices, report)
    for record_ in _list(data, "reactions"):
        _import_reaction(record_, members, practices, report)
    for record_ in _list(data, "adoptions"):
        _import_adoption(record_, members, teams, practices, report)
    for record_ in _list(data, "toolkits"):
        _import_toolkit(record_, members, practices, report)


def _count(report, what, created):
    bucket = report.created if created else report.updated
    bucket[what] = bucket.get(what, 0) + 1


def _import_practice(record_, members, teams, practices, report) -> int | None:
    """Create or update one practice; its author's id when something was written."""
    author = members[record_["author"].strip().lower()]
    values = {key: record_[key].strip() for key in (*PRACTICE_TEXTS, *PRACTICE_OPTIONAL_TEXTS) if key in record_}
    values.update(
        kind=record_["kind"],
        visibility=record_["visibility"],
        status=record_["status"],
        team=teams[(author.organisation_id, record_["team"].strip())] if record_.get("team") else None,
        organisation_id=author.organisation_id,
    )
    tag_names = [label.strip() for label in record_.get("tags", [])]
    skill_names = [label.strip() for label in record_.get("skills", [])]
    ref = (record_.get("ref") or "").strip()
    practice = practices.get(ref) if ref else Practice.objects.filter(author=author, title=values["title"]).first()
    created_at = _created_at(record_) or timezone.now()
    if practice is None:
        practice = Practice(ref=ref, author=author, created_at=created_at, updated_at=created_at, **values)
        if practice.status != Status.DRAFT:
            practice.published_at = created_at
        practice.save()
        created = True
    else:
        changed = [key for key, value in values.items() if getattr(practice, key) != value]
        old_tags = sorted(practice.tags.values_list("name", flat=True))
        old_skills = sorted(practice.skills.values_list("name", flat=True))
        labels_changed = old_tags != sorted(tag_names) or old_skills != sorted(skill_names)
        if not changed and not labels_changed:
            return None
        for key in changed:
            setattr(practice, key, values[key])
        if practice.status != Status.DRAFT and practice.published_at is None:
            practice.published_at = timezone.now()
        practice.save()
        created = False
    tags, skills = services.set_labels(practice, tag_names, skill_names)
    services.refresh_search(practice, tags, skills)
    if ref:
        practices[ref] = practice
    _count(report, "practices", created)
    return author.pk


def _import_comment(record_, members, practices, report):
    practice = practices[record_["practice"].strip()]
    author = members[record_["author"].strip().lower()]
    ref, body = (record_.get("ref") or "").strip(), record_["body"].strip()
    existing = Comment.objects.filter(practice=practice, **({"ref": ref} if ref else {"author": author, "body": body}))
    if existing.exists():
        return
    parent = None
    if record_.get("reply_to"):
        parent = Comment.objects.get(practice=practice, ref=record_["reply_to"].strip())
    created_at = _created_at(record_) or timezone.now()
    Comment.objects.create(practice=practice, author=author, body=body, ref=ref, parent=parent, created_at=created_at)
    Practice.objects.filter(pk=practice.pk).update(comment_count=F("comment_count") + 1)
    _count(report, "comments", True)


def _import_reaction(record_, members, practices, report):
    practice = practices[record_["practice"].strip()]
    member = members[record_["member"].strip().lower()]
    _reaction, created = Reaction.objects.get_or_create(practice=practice, member=member, kind=record_["kind"])
    if created:
        counter = "useful_count" if record_["kind"] == "useful" else "thanks_count"
        Practice.objects.filter(pk=practice.pk).update(**{counter: F(counter) + 1})
        _count(report, "reactions", True)


def _import_adoption(record_, members, teams, practices, report):
    practice = practices[record_["practice"].strip()]
    member = members[record_["member"].strip().lower()]
    team = teams[(member.organisation_id, record_["team"].strip())]
    values = {
        "team": team,
        "organisation_id": team.organisation_id,
        "outcome": record_["outcome"],
        "note": (record_.get("note") or "").strip(),
    }
    adoption = Adoption.objects.filter(practice=practice, member=member).first()
    if adoption is None:
        created_at = _created_at(record_) or timezone.now()
        Adoption.objects.create(
            practice=practice, member=member, created_at=created_at, updated_at=created_at, **values
        )
        Practice.objects.filter(pk=practice.pk).update(adoption_count=F("adoption_count") + 1)
        if Practice.objects.filter(pk=practice.pk, stage=Stage.PROPOSED).update(stage=Stage.TRIED):
            StageChange.objects.create(practice=practice, stage=Stage.TRIED, decided_by=member, created_at=created_at)
        _count(report, "adoptions", True)
    elif any(getattr(adoption, key) != value for key, value in values.items()):
        Adoption.objects.filter(pk=adoption.pk).update(updated_at=timezone.now(), **values)
        _count(report, "adoptions", False)


def _import_toolkit(record_, members, practices, report):
    curator = members.get((record_.get("curator") or "").strip().lower())
    toolkit, created = Toolkit.objects.get_or_create(
        slug=record_["slug"].strip(),
        defaults={"title": record_["title"].strip(), "description": (record_.get("description") or "").strip()},
    )
    values = {"title": record_["title"].strip(), "curator": curator}
    if "description" in record_:
        values["description"] = record_["description"].strip()
    if not created and any(getattr(toolkit, key) != value for key, value in values.items()):
        Toolkit.objects.filter(pk=toolkit.pk).update(updated_at=timezone.now(), **values)
        _count(report, "toolkits", False)
    elif created:
        Toolkit.objects.filter(pk=toolkit.pk).update(**values)
        _count(report, "toolkits", True)
    for position, section_record in enumerate(record_.get("sections", []), start=1):
        section, _ = ToolkitSection.objects.update_or_create(
            toolkit=toolkit, title=section_record["title"].strip(), defaults={"position": position}
        )
        for item_position, item in enumerate(section_record.get("items", []), start=1):
            practice = practices[item["practice"].strip()]
            ToolkitItem.objects.update_or_create(
                section=section,
                practice=practice,
                defaults={"note": (item.get("note") or "").strip(), "position": item_position},
            )
            if Practice.objects.filter(pk=practice.pk).exclude(stage=Stage.RETAINED).update(stage=Stage.RETAINED):
                reason = (item.get("note") or "").strip()
                StageChange.objects.create(practice=practice, stage=Stage.RETAINED, decided_by=curator, reason=reason)


def export_sections() -> dict:
    """The practices sections, sorted so that two exports compare equal; practices get a ref if needed."""
    for practice in Practice.objects.filter(ref=""):
        Practice.objects.filter(pk=practice.pk).update(ref=f"practice-{practice.pk}")
    practices = Practice.objects.select_related("author", "team").prefetch_related("tags", "skills").order_by("ref")
    exported = {
        "practices": [
            {
                "ref": p.ref,
                "title": p.title,
                "kind": p.kind,
                "context": p.context,
                "what_we_did": p.what_we_did,
                "results": p.results,
                "difficulties": p.difficulties,
                "victories": p.victories,
                "author": p.author.email,
                "team": p.team.name if p.team_id else "",
                "visibility": p.visibility,
                "status": p.status,
                "tags": sorted(tag.name for tag in p.tags.all()),
                "skills": sorted(skill.name for skill in p.skills.all()),
                "created_at": p.created_at.isoformat(),
            }
            for p in practices
        ],
        "comments": [],
        "reactions": [
            {"practice": ref, "member": email, "kind": kind}
            for ref, email, kind in Reaction.objects.order_by("practice__ref", "member__email", "kind").values_list(
                "practice__ref", "member__email", "kind"
            )
        ],
        "adoptions": [
            {
                "practice": a.practice.ref,
                "member": a.member.email,
                "team": a.team.name,
                "outcome": a.outcome,
                "note": a.note,
                "created_at": a.created_at.isoformat(),
            }
            for a in Adoption.objects.select_related("practice", "member", "team").order_by(
                "practice__ref", "member__email"
            )
        ],
        "toolkits": [],
    }
    for comment in Comment.objects.filter(ref=""):
        Comment.objects.filter(pk=comment.pk).update(ref=f"comment-{comment.pk}")
    comments = sorted(
        Comment.objects.select_related("practice", "author", "parent"),
        # Replies come after every top-level comment, so that each one's parent is already known.
        key=lambda c: (c.practice.ref, c.parent_id is not None, c.created_at, c.pk),
    )
    for comment in comments:
        record_ = {
            "ref": comment.ref,
            "practice": comment.practice.ref,
            "author": comment.author.email,
            "body": comment.body,
            "created_at": comment.created_at.isoformat(),
        }
        if comment.parent_id:
            record_["reply_to"] = comment.parent.ref
        exported["comments"].append(record_)
    for toolkit in Toolkit.objects.select_related("curator").prefetch_related("sections__items__practice"):
        exported["toolkits"].append(
            {
                "slug": toolkit.slug,
                "title": toolkit.title,
                "description": toolkit.description,
                **({"curator": toolkit.curator.email} if toolkit.curator else {}),
                "sections": [
                    {
                        "title": section.title,
                        "items": [{"practice": item.practice.ref, "note": item.note} for item in section.items.all()],
                    }
                    for section in toolkit.sections.all()
                ],
            }
        )
    return exported
