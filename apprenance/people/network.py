"""The ``apprenance-network`` JSON format: validate a whole file, then import it, or export one.

The format is documented in docs/import-format.md. Import is all-or-nothing and idempotent:
organisations are keyed by slug, teams by (organisation, name), members by e-mail.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction

from apprenance.core import statistics
from apprenance.core.activity import record
from apprenance.core.generations import bump
from apprenance.people.models import (
    PEOPLE_GENERATION,
    Member,
    Membership,
    Organisation,
    ProfileVisibility,
    Role,
    Team,
    World,
)
from apprenance.practices.models import PRACTICES_GENERATION

FORMAT = "apprenance-network"
VERSION = 1
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")

ORGANISATION_FIELDS = {"slug": 80, "name": 160, "kind": 120, "territory": 120, "description": None}
TEAM_FIELDS = {"name": 160, "description": None}
MEMBER_FIELDS = {"first_name": 80, "last_name": 80, "job_title": 160, "bio": None}


class NetworkFileError(Exception):
    """The file has problems; nothing was written. ``problems`` lists them with their paths."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: {"organisations": 0, "teams": 0, "members": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"organisations": 0, "teams": 0, "members": 0})

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


class _Problems(list):
    def add(self, path: str, message: str) -> None:
        self.append(f"{path}: {message}")


def _text(problems, record_, key, path, max_length, required):
    """Check one text field; return the stripped value, or None when absent or wrong."""
    value = record_.get(key)
    if value is None:
        if required:
            problems.add(f"{path}.{key}", "is required")
        return None
    if not isinstance(value, str):
        problems.add(f"{path}.{key}", "must be a string")
        return None
    value = value.strip()
    if required and not value:
        problems.add(f"{path}.{key}", "must not be empty")
    elif max_length and len(value) > max_length:
        problems.add(f"{path}.{key}", f"is longer than {max_length} characters")
    return value


def _choice(problems, record_, key, path, choices):
    value = record_.get(key)
    if value is None:
        return None
    if value not in choices:
        problems.add(f"{path}.{key}", f"must be one of {', '.join(choices)} (got {value!r})")
        return None
    return value


def _list_of_strings(problems, record_, key, path):
    value = record_.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.add(f"{path}.{key}", "must be a list of strings")
        return None
    return [item.strip() for item in value]


def _objects(problems: _Problems, items: list, path: str):
    """(path, record) for each object of a list; anything else in it is reported."""
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        if isinstance(item, dict):
            yield item_path, item
        else:
            problems.add(item_path, "must be an object")


def validate_network(data) -> list[str]:
    """Every problem in the file, each prefixed with its path (``members[12].email: …``)."""
    problems = _Problems()
    if not isinstance(data, dict):
        return ["(root): must be a JSON object"]
    if data.get("format") != FORMAT:
        problems.add("format", f"must be {FORMAT!r}")
    if data.get("version") != VERSION:
        problems.add("version", f"must be {VERSION}")
    organisations = data.get("organisations", [])
    members = data.get("members", [])
    if not isinstance(organisations, list):
        problems.add("organisations", "must be a list")
        organisations = []
    if not isinstance(members, list):
        problems.add("members", "must be a list")
        members = []
    teams_by_slug = _validate_organisations(problems, organisations)
    _validate_members(problems, members, teams_by_slug)
    from apprenance.practices import network as practices_network  # the practices sections

    practices_network.validate(problems, data, teams_by_slug)
    from apprenance.questions import network as questions_network  # questions, answers, votes

    questions_network.validate(problems, data)
    from apprenance.community import network as community_network  # circles, live sessions

    community_network.validate(problems, data, teams_by_slug)
    return problems


def _validate_organisations(problems: _Problems, organisations: list) -> dict[str, set[str]]:
    """Check organisations and their teams; return the team names each organisation will have."""
    existing_teams: dict[str, set[str]] = {slug: set() for slug in Organisation.objects.values_list("slug", flat=True)}
    for slug, name in Team.objects.values_list("organisation__slug", "name"):
        existing_teams[slug].add(name)
    teams_by_slug = {slug: set(names) for slug, names in existing_teams.items()}

    seen_slugs = set()
    for path, organisation in _objects(problems, organisations, "organisations"):
        slug = _text(problems, organisation, "slug", path, ORGANISATION_FIELDS["slug"], required=True)
        if slug:
            try:
                validate_slug(slug)
            except ValidationError:
                problems.add(f"{path}.slug", "may only contain letters, digits, hyphens and underscores")
            if slug in seen_slugs:
                problems.add(f"{path}.slug", f"{slug!r} appears twice in the file")
            seen_slugs.add(slug)
        _text(problems, organisation, "name", path, ORGANISATION_FIELDS["name"], required=True)
        if "world" not in organisation:
            problems.add(f"{path}.world", "is required")
        _choice(problems, organisation, "world", path, World.values)
        for key in ("kind", "territory", "description"):
            _text(problems, organisation, key, path, ORGANISATION_FIELDS[key], required=False)
        teams = organisation.get("teams", [])
        if not isinstance(teams, list):
            problems.add(f"{path}.teams", "must be a list")
            continue
        names = _validate_teams(problems, teams, path, known=existing_teams.get(slug, set()))
        if slug:
            teams_by_slug[slug] = names
    return teams_by_slug


def _validate_teams(problems: _Problems, teams: list, path: str, known: set[str]) -> set[str]:
    """Check one organisation's teams; a parent must already exist or come earlier in the file."""
    names = set(known)
    in_file = set()
    for team_path, team in _objects(problems, teams, f"{path}.teams"):
        name = _text(problems, team, "name", team_path, TEAM_FIELDS["name"], required=True)
        _text(problems, team, "description", team_path, TEAM_FIELDS["description"], required=False)
        parent = _text(problems, team, "parent", team_path, TEAM_FIELDS["name"], required=False)
        if name and name in in_file:
            problems.add(f"{team_path}.name", f"{name!r} appears twice in this organisation")
        if parent and parent == name:
            problems.add(f"{team_path}.parent", "a team cannot be its own parent")
        elif parent and parent not in names:
            problems.add(f"{team_path}.parent", f"no team named {parent!r} before it in this organisation")
        if name:
            in_file.add(name)
            names.add(name)
    return names


def _validate_members(problems: _Problems, members: list, teams_by_slug: dict[str, set[str]]) -> None:
    seen_emails = set()
    for path, member in _objects(problems, members, "members"):
        email = _text(problems, member, "email", path, 254, required=True)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.add(f"{path}.email", "not a valid address")
            if email.lower() in seen_emails:
                problems.add(f"{path}.email", f"{email!r} appears twice in the file")
            seen_emails.add(email.lower())
        for key in ("first_name", "last_name"):
            _text(problems, member, key, path, MEMBER_FIELDS[key], required=True)
        for key in ("job_title", "bio"):
            _text(problems, member, key, path, MEMBER_FIELDS[key], required=False)
        slug = _text(problems, member, "organisation", path, ORGANISATION_FIELDS["slug"], required=True)
        if slug and slug not in teams_by_slug:
            problems.add(f"{path}.organisation", f"no organisation with slug {slug!r}")
        teams = _list_of_strings(problems, member, "teams", path) or []
        if slug in teams_by_slug:
            for team_index, team in enumerate(teams):
                if team not in teams_by_slug[slug]:
                    problems.add(f"{path}.teams[{team_index}]", f"no team named {team!r} in {slug!r}")
        _choice(problems, member, "role", path, Role.values)
        _choice(problems, member, "profile_visibility", path, ProfileVisibility.values)
        languages = _list_of_strings(problems, member, "languages", path) or []
        for language_index, language in enumerate(languages):
            if not LANGUAGE_CODE.match(language):
                problems.add(f"{path}.languages[{language_index}]", f"{language!r} is not an ISO 639 code")


def _assign(instance, values: dict) -> bool:
    """Set the given attributes; say whether anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(instance, key) != value:
            setattr(instance, key, value)
            changed = True
    return changed


def _present(record_: dict, keys) -> dict:
    """The optional fields the record gives, stripped: absent fields leave data as it is."""
    return {key: record_[key].strip() for key in keys if isinstance(record_.get(key), str)}


def import_network(data, *, actor=None) -> ImportReport:
    """Validate everything, then write everything in one transaction (or nothing)."""
    problems = validate_network(data)
    if problems:
        raise NetworkFileError(problems)
    report = ImportReport()
    with transaction.atomic():
        organisations = _import_organisations(data.get("organisations", []), report)
        _import_members(data.get("members", []), organisations, report)
        from apprenance.practices import network as practices_network

        practices_network.import_sections(data, report)
        from apprenance.questions import network as questions_network

        questions_network.import_sections(data, report)
        from apprenance.community import network as community_network

        community_network.import_sections(data, report)
        if report.changed:
            record(actor, "network.imported", created=report.created, updated=report.updated)
            bump(PEOPLE_GENERATION)
            bump(PRACTICES_GENERATION)
    if report.changed:
        statistics.refresh()  # a bulk write: plan the next queries on what is there now
    return report


def _import_organisations(records, report) -> dict[str, Organisation]:
    by_slug = {organisation.slug: organisation for organisation in Organisation.objects.all()}
    for record_ in records:
        values = {"name": record_["name"].strip(), "world": record_["world"]}
        values.update(_present(record_, ("kind", "territory", "description")))
        organisation = by_slug.get(record_["slug"])
        if organisation is None:
            organisation = Organisation.objects.create(slug=record_["slug"], **values)
            by_slug[organisation.slug] = organisation
            report.created["organisations"] += 1
        elif _assign(organisation, values):
            organisation.save()
            report.updated["organisations"] += 1

        teams = {team.name: team for team in Team.objects.filter(organisation=organisation)}
        for team_record in record_.get("teams", []):
            name = team_record["name"].strip()
            parent_name = (team_record.get("parent") or "").strip()
            values = {"parent": teams[parent_name] if parent_name else None}
            values.update(_present(team_record, ("description",)))
            team = teams.get(name)
            if team is None:
                teams[name] = Team.objects.create(organisation=organisation, name=name, **values)
                report.created["teams"] += 1
            elif _assign(team, values):
                team.save()
                report.updated["teams"] += 1
    return by_slug


def _import_members(records, organisations, report) -> None:
    teams = {(team.organisation_id, team.name): team.pk for team in Team.objects.all()}
    emails = [record_["email"].strip().lower() for record_ in records]
    existing = {}
    for start in range(0, len(emails), 900):  # stay under SQLite's variable limit
        for member in Member.objects.filter(email__in=emails[start : start + 900]):
            existing[member.email] = member
    current_teams: dict[int, set[int]] = {}
    member_ids = [member.pk for member in existing.values()]
    for start in range(0, len(member_ids), 900):
        for member_id, team_id in Membership.objects.filter(member_id__in=member_ids[start : start + 900]).values_list(
            "member_id", "team_id"
        ):
            current_teams.setdefault(member_id, set()).add(team_id)

    new_members, changed_members, wanted_teams = [], [], {}
    unusable_password = make_password(None)
    for record_, email in zip(records, emails, strict=True):
        organisation = organisations[record_["organisation"].strip()]
        values = {
            "first_name": record_["first_name"].strip(),
            "last_name": record_["last_name"].strip(),
            "organisation": organisation,
        }
        values.update(_present(record_, ("job_title", "bio")))
        for key in ("role", "profile_visibility", "languages"):
            if record_.get(key) is not None:
                values[key] = record_[key]
        member = existing.get(email)
        if member is None:
            member = Member(email=email, password=unusable_password, **values)
            member.refresh_search_text()
            new_members.append(member)
        elif _assign(member, values):
            member.refresh_search_text()
            changed_members.append(member)
        if "teams" in record_:
            wanted_teams[email] = {teams[(organisation.pk, name.strip())] for name in record_["teams"]}

    Member.objects.bulk_create(new_members, batch_size=500)
    if changed_members:
        Member.objects.bulk_update(
            changed_members,
            [
                "first_name",
                "last_name",
                "organisation",
                "job_title",
                "bio",
                "role",
                "profile_visibility",
                "languages",
                "search_text",
            ],
            batch_size=500,
        )
    report.created["members"] += len(new_members)
    updated_ids = {member.pk for member in changed_members}

    if new_members and new_members[0].pk is None:  # backends that do not return ids from bulk inserts
        ids = dict(Member.objects.filter(email__in=[m.email for m in new_members]).values_list("email", "pk"))
        for member in new_members:
            member.pk = ids[member.email]
    by_email = {**existing, **{member.email: member for member in new_members}}
    to_add, to_remove = [], []
    for email, wanted in wanted_teams.items():
        member = by_email[email]
        current = current_teams.get(member.pk, set())
        if wanted != current:
            to_add.extend(Membership(member_id=member.pk, team_id=team_id) for team_id in wanted - current)
            to_remove.extend((member.pk, team_id) for team_id in current - wanted)
            if email in existing:
                updated_ids.add(member.pk)
    Membership.objects.bulk_create(to_add, batch_size=500)
    for member_id, team_id in to_remove:
        Membership.objects.filter(member_id=member_id, team_id=team_id).delete()
    report.updated["members"] += len(updated_ids)


def export_network() -> dict:
    """The whole network in the import format, sorted so that two exports compare equal."""
    organisations = []
    for organisation in Organisation.objects.order_by("slug").prefetch_related("teams"):
        teams = _parents_first(list(organisation.teams.all()))
        by_id = {team.pk: team for team in teams}
        organisations.append(
            {
                "slug": organisation.slug,
                "name": organisation.name,
                "world": organisation.world,
                "kind": organisation.kind,
                "territory": organisation.territory,
                "description": organisation.description,
                "teams": [
                    {"name": team.name, "description": team.description}
                    | ({"parent": by_id[team.parent_id].name} if team.parent_id in by_id else {})
                    for team in teams
                ],
            }
        )
    members = []
    queryset = (
        Member.objects.filter(organisation__isnull=False)
        .select_related("organisation")
        .prefetch_related("teams")
        .order_by("email")
    )
    for member in queryset.iterator(chunk_size=2000):
        members.append(
            {
                "email": member.email,
                "first_name": member.first_name,
                "last_name": member.last_name,
                "organisation": member.organisation.slug,
                "teams": sorted(team.name for team in member.teams.all()),
                "role": member.role,
                "job_title": member.job_title,
                "bio": member.bio,
                "languages": member.languages,
                "profile_visibility": member.profile_visibility,
            }
        )
    from apprenance.community import network as community_network
    from apprenance.practices import network as practices_network
    from apprenance.questions import network as questions_network

    return {
        "format": FORMAT,
        "version": VERSION,
        "organisations": organisations,
        "members": members,
        **practices_network.export_sections(),
        **questions_network.export_sections(),
        **community_network.export_sections(),
    }


def _parents_first(teams: list[Team]) -> list[Team]:
    """Order teams so that each parent comes before its children, and the export imports back."""
    by_id = {team.pk: team for team in teams}

    def depth(team):
        level, parent_id, seen = 0, team.parent_id, set()
        while parent_id in by_id and parent_id not in seen:
            seen.add(parent_id)
            level += 1
            parent_id = by_id[parent_id].parent_id
        return level

    return sorted(teams, key=lambda team: (depth(team), team.name))
