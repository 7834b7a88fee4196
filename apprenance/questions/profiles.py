"""Expert profiles: each member's texts gathered in one document and one meaning, so that routing
finds « who wrote most, and most closely, on this » among members, not through a sample of
practices (on a large network thousands of practices share each topic).

A profile reads what the whole network may read of the member: their published practices shared
with the network, and their accepted or upvoted answers to questions shared with the network
(what one organisation keeps to itself never ranks its author for outsiders; routing reads those
texts through the practices search, for the members allowed to). From them:

- the member's document in the counted index ``PROFILE_INDEX`` (apprenance.core.search): the
  practices' titles and tags, the useful answers' questions and openings, the declared skills,
  with how often each word comes back, so that several texts on a topic count more than one;
- ``ExpertProfile.embedding``: the normalised mean of those texts' stored meanings.

``refresh_profiles`` recomputes some members' profiles inside the caller's transaction (the
services call it for the author of a practice or answer that changed); called without members,
it rebuilds every profile in batches (network import, nightly job, ``rebuild_expert_profiles``).
Both go through the same code, so a rebuild finds exactly what the refreshes left.
"""

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from django.db import transaction
from django.utils import timezone

from apprenance.core import ranking, search, semantic
from apprenance.core.generations import bump
from apprenance.core.highlight import plain_text
from apprenance.people.models import Member
from apprenance.practices.models import Practice, Visibility
from apprenance.questions.models import Answer, ExpertProfile
from apprenance.skills.models import MemberSkill

PROFILE_INDEX = "expert"
# The dense scan and its cache (apprenance.core.ranking) follow this generation.
PROFILES_GENERATION = "expert-profiles"
PROFILES = ranking.Documents(
    PROFILE_INDEX,
    lambda: ExpertProfile.objects.all(),
    changed_since=lambda moment: ExpertProfile.objects.filter(updated_at__gte=moment),
)
# Each member's newest texts of each kind are read: a few hundred tell what someone knows.
TEXTS_READ = 200
ANSWER_OPENING_WORDS = 40
BATCH = 2_000


def network_practices():
    """The practices a profile reads: published and shared with the whole network."""
    return Practice.objects.published().filter(visibility=Visibility.NETWORK)


def network_answers():
    """The answers a profile reads: accepted or upvoted, to questions shared with the whole network."""
    return Answer.objects.useful().filter(question__visibility=Visibility.NETWORK)


def refresh_profiles(member_ids: Iterable[int] | None = None) -> int:
    """Recompute the profiles of these members (of every member when None); how many exist now."""
    if member_ids is None:
        member_ids = Member.objects.order_by("pk").values_list("pk", flat=True)
    wanted = sorted(set(member_ids))
    kept = 0
    for first in range(0, len(wanted), BATCH):
        with transaction.atomic():
            kept += _refresh_batch(wanted[first : first + BATCH])
    if wanted:
        bump(PROFILES_GENERATION)
    return kept


def _refresh_batch(member_ids: list[int]) -> int:
    # Two writes by one member refresh their profile one after the other (on PostgreSQL; SQLite
    # writes one at a time anyway): the second reads what the first wrote, and their rows in the
    # index never collide.
    list(Member.objects.select_for_update().filter(pk__in=member_ids).order_by("pk").values_list("pk"))
    practices: dict[int, list[tuple[int, str, bytes]]] = defaultdict(list)
    rows = (
        network_practices()
        .filter(author_id__in=member_ids)
        .order_by("author_id", "-published_at", "-pk")
        .values_list("author_id", "pk", "title", "embedding")
    )
    for author_id, pk, title, blob in rows:
        if len(practices[author_id]) < TEXTS_READ:
            practices[author_id].append((pk, title, bytes(blob)))
    tags: dict[int, list[str]] = defaultdict(list)
    for practice_id, name in (
        Practice.tags.through.objects.filter(practice__in=network_practices().filter(author_id__in=member_ids))
        .order_by("practice_id", "tag__name")
        .values_list("practice_id", "tag__name")
    ):
        tags[practice_id].append(name)
    answers: dict[int, list[tuple[str, str, bytes]]] = defaultdict(list)
    rows = (
        network_answers()
        .filter(author_id__in=member_ids)
        .order_by("author_id", "-created_at", "-pk")
        .values_list("author_id", "question__title", "body", "embedding")
    )
    for author_id, question_title, body, blob in rows:
        if len(answers[author_id]) < TEXTS_READ:
            answers[author_id].append((question_title, body, bytes(blob)))
    skills: dict[int, list[str]] = defaultdict(list)
    for member_id, name in (
        MemberSkill.objects.filter(member_id__in=member_ids)
        .order_by("member_id", "skill__name")
        .values_list("member_id", "skill__name")
    ):
        skills[member_id].append(name)

    now = timezone.now()
    profiles, documents = [], []
    for member_id in member_ids:
        written, answered = practices.get(member_id, []), answers.get(member_id, [])
        if not (written or answered or skills.get(member_id)):
            continue
        lines = [" ".join([title, *tags.get(pk, [])]) for pk, title, _blob in written]
        lines += [f"{question}. {_opening(body)}" for question, body, _blob in answered]
        lines += skills.get(member_id, [])
        blobs = [blob for *_text, blob in written] + [blob for *_text, blob in answered]
        profiles.append(
            ExpertProfile(member_id=member_id, embedding=_mean_meaning(blobs), text_count=len(blobs), updated_at=now)
        )
        documents.append((member_id, "\n".join(lines)))
    kept = {profile.member_id for profile in profiles}
    gone = [pk for pk in member_ids if pk not in kept]
    ExpertProfile.objects.filter(member_id__in=gone).delete()
    search.uncount(PROFILE_INDEX, gone)
    ExpertProfile.objects.bulk_create(
        profiles,
        update_conflicts=True,
        unique_fields=["member"],
        update_fields=["embedding", "text_count", "updated_at"],
    )
    search.count_terms(PROFILE_INDEX, documents)
    return len(profiles)


def _opening(markdown_text: str) -> str:
    return " ".join(plain_text(markdown_text).split()[:ANSWER_OPENING_WORDS])


def _mean_meaning(blobs: list[bytes]) -> bytes:
    """The normalised mean of stored meanings (those missing left out); b"" without any."""
    stored = [blob for blob in blobs if semantic.is_stored(blob)]
    if not stored:
        return b""
    mean = semantic.decode_many(stored).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return semantic.encode(mean / norm) if norm else b""
