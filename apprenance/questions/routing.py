"""Routing a question to the members most likely to help, and saying why.

A member's score adds up what they have shown of the question's topic:

- **meaning**: how close the question is to what they wrote (their published practices and
  their accepted or upvoted answers, whose vectors were stored when written): the best
  similarity and the mean of their three best, so that several texts on the topic beat one;
- **profile**: their expert profile (apprenance.questions.profiles), all they wrote read as one:
  how often the question's words come back in it, rare words weighing more and each repeat a
  little less (several texts on the topic beat one), and how close its mean meaning is;
- **search**: where their practices come in the practices search for the question
  (apprenance.practices.ranking, which weighs words, synonyms and meaning already);
- **words**: the question's words (stems and synonyms, rare ones weighing more) in those
  texts' titles, tags and bodies, and in the skills they declare;
- **availability**: a little for recent activity, a little for being outside the asker's team,
  less for each recent « pas pour moi ».

Candidates are the members whose profiles answer the question best (in words, and in meaning on
a network small enough to scan), the authors of the practices and answers the search engine
ranks best for it, and the members declaring its skills: a large network is never scanned member
by member. A first look at them needs no text of theirs (profile, places in the search, skills);
the texts of the most promising are then read, those rows being scattered over the whole table.
The asker, members who paused solicitations and members who may not read the question are never
suggested.

Reasons are stored as small dicts (``{"code": "practices", "count": 3, "tag": "entretien annuel"}``)
and worded in the reader's language by ``reason_text``.
"""

import functools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apprenance.core import ranking, search, semantic
from apprenance.core.analysis import query_stems
from apprenance.core.generations import cached, current_many
from apprenance.core.highlight import plain_text
from apprenance.core.models import Event
from apprenance.people.models import Member, Membership
from apprenance.practices import ranking as practice_ranking
from apprenance.practices.models import PRACTICES_GENERATION, Practice, Visibility
from apprenance.questions import finding, profiles
from apprenance.questions.models import (
    QUESTIONS_GENERATION,
    Answer,
    ExpertProfile,
    ExpertSettings,
    Question,
    Solicitation,
)
from apprenance.skills.models import MemberSkill, Skill

SUGGESTIONS = 10
# The profiles holding each word most often are read, then ranked on all the words.
PROFILE_PER_WORD = 400
PROFILE_CANDIDATES = 60
# Of the profiles holding a word most often, this many times PROFILE_CANDIDATES are counted on all words.
PROFILE_FIRST_LOOK = 3
PROFILE_MEANING_CANDIDATES = 30
PRACTICE_CANDIDATES = 40
ANSWER_CANDIDATES = 40
MAX_CANDIDATES = 120
# Candidates whose texts are read, the most promising at first look.
TEXT_CANDIDATES = 40
# The question's first words (title, then tags and skills, then details) searched in the profiles.
PROFILE_STEMS = 16
# A word's count in a profile answers it for count / (count + PROFILE_SATURATION): one text 0.11,
# four 0.33, eight 0.5. BM25's saturation without its length normalisation (a long profile is not
# a diluted one: its author wrote a lot), and slow: who wrote most on the topic comes first.
PROFILE_SATURATION = 8.0
# Texts read per candidate, on average (a member writes a few dozen at most).
TEXTS_PER_MEMBER = 40
# Of which the closest in meaning are read for the question's words too.
WORDS_PER_MEMBER = 2
# A text this close to the question in meaning (or answering this share of its words) is "on the topic";
# so is one of the practices search's first results for the question, if close enough in meaning.
ON_TOPIC_MEANING = 0.86
ON_TOPIC_WORDS = 0.5
ON_TOPIC_POSITION = 10
ON_TOPIC_POSITION_MEANING = 0.82
# ... and within this much of the closest text in meaning.
ON_TOPIC_POSITION_GAP = 0.02
# A practice's place in the practices search for the question counts 1 / (place + SEARCH_OFFSET).
SEARCH_OFFSET = 3
# Meaning is the mean of the question read as a query and read as a passage (measured on
# bench/routing_quality.py: better on paraphrases than either alone).
PASSAGE_MIX = 0.5
# e5 similarities between unrelated French texts sit around this value; what counts is the gap above.
MEANING_BASELINE = 0.8
WEIGHTS = {
    "meaning": 15.0,  # per unit of similarity above the baseline (0.05 above it: 0.75)
    "search": 8.0,  # per unit of the reciprocal places of their practices in the practices search
    "profile_words": 32.0,  # per share of the question's words (rare ones weighing more) their profile answers
    "profile_meaning": 10.0,  # per unit of their profile's similarity above the baseline
    "words": 2.0,
    "skill": 1.5,
    "several": 1.2,  # per log of the number of texts on the topic (several texts beat one close one)
    "activity": 0.3,
    "other_team": 0.4,
    "decline": 0.6,  # taken off per « pas pour moi » in the last DECLINE_MEMORY
}
ACTIVE_WINDOW = timedelta(days=30)
ACTIVE_EVENTS = 3
DECLINE_MEMORY = timedelta(days=180)
MAX_DECLINES_COUNTED = 3


# Accepted and upvoted answers: the ones routing reads (a member's plain answers prove nothing yet).
USEFUL_ANSWERS = ranking.Documents(finding.ANSWER_INDEX, lambda: Answer.objects.useful())


@dataclass
class Evidence:
    """What one candidate has shown of the question's topic."""

    similarities: list[float] = field(default_factory=list)
    search_score: float = 0.0
    word_scores: list[float] = field(default_factory=list)
    on_topic_practices: list[tuple[float, int]] = field(default_factory=list)  # (similarity, id)
    on_topic_answers: int = 0
    closest_practice: tuple[float, int] | None = None  # (similarity, id) of their practice closest in meaning
    skills: list[tuple[str, bool]] = field(default_factory=list)  # (name, can teach)
    skill_score: float = 0.0
    profile_words: float = 0.0
    profile_meaning: float | None = None


@dataclass
class Suggestion:
    member: Member
    score: float
    reasons: list[dict]


def question_text(question: Question) -> str:
    """What the routing reads of a question: its title and the start of its details."""
    title = finding.topic_of(question.title)
    details = " ".join(plain_text(question.details).split()[:80])
    return f"{title}. {details}" if details else title


def rank_experts(question: Question, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """The members most likely to help with ``question``, best first, with the reasons for each."""
    text = question_text(question)
    asker = question.author
    # A question is read as e5 gives it: the query adapter, learnt on short searches, moved the
    # first suggestion off a right expert for whole questions with their details (bench/routing_quality).
    pending_meaning = semantic.query_vector_later(text, adapted=False)
    named_skills = dict(question.skills.values_list("pk", "name"))
    tags = list(question.tags.values_list("name", flat=True))
    worded = " ".join([text, *tags, *named_skills.values()])
    profile_stems = query_stems(
        " ".join([finding.topic_of(question.title), *tags, *named_skills.values(), plain_text(question.details)])
    )[:PROFILE_STEMS]

    practices = Practice.objects.published().visible_to(asker)
    generations = current_many(PRACTICES_GENERATION, profiles.PROFILES_GENERATION, QUESTIONS_GENERATION)
    generation = generations[PRACTICES_GENERATION]
    practice_ids = practice_ranking.rank(worded, practices, filtered=False, generation=generation, adapted=False).ids
    practice_ids = practice_ids[:PRACTICE_CANDIDATES]
    profile_total = cached(
        "profile-total", generations[profiles.PROFILES_GENERATION], lambda: ExpertProfile.objects.count()
    )
    profile_idf = search.inverse_document_frequencies(
        profiles.PROFILE_INDEX, profile_stems, profile_total, counted=True
    )
    profile_words = _profile_candidates(question, profile_stems, profile_idf)
    useful_answers = USEFUL_ANSWERS.rows().visible_to(asker).exclude(question=question)
    query_vector = pending_meaning.result()
    answer_ids = _answer_candidates(worded, useful_answers, query_vector, generations[QUESTIONS_GENERATION])
    skill_holders = _skill_holders(set(named_skills), worded)
    close_profiles = ranking.closest_in_meaning(
        profiles.PROFILES,
        query_vector,
        question.audience(),  # a profile's id is its member's
        generations[profiles.PROFILES_GENERATION],
        floor=ON_TOPIC_POSITION_MEANING,
        limit=PROFILE_MEANING_CANDIDATES,
    )

    practice_authors = dict(Practice.objects.filter(pk__in=practice_ids).values_list("pk", "author_id"))
    candidates = _eligible(
        question,
        [
            *profile_words,
            *(practice_authors[pk] for pk in practice_ids if pk in practice_authors),
            *useful_answers.filter(pk__in=answer_ids).values_list("author_id", flat=True),
            *close_profiles,
            *skill_holders,
        ],
    )
    if not candidates:
        return []
    places = {pk: place for place, pk in enumerate(practice_ids)}
    question_vector = semantic.decode_many([bytes(question.embedding)])[0] if question.embedding else None
    # A first look at every candidate, from what is known without reading their texts; the texts
    # of the most promising are read (scattered rows: the bulk of the cost on a large network).
    evidence = {member_id: Evidence() for member_id in candidates}
    _profile_evidence(evidence, profile_words, profile_stems, profile_idf, query_vector, question_vector)
    for pk, place in places.items():
        if practice_authors.get(pk) in evidence:
            evidence[practice_authors[pk]].search_score += 1 / (place + SEARCH_OFFSET)
    for member_id, skills in skill_holders.items():
        if member_id in evidence:
            evidence[member_id].skills = skills
            evidence[member_id].skill_score = _skill_score(set(named_skills.values()), worded, skills)
    # The authors of the search's first results are read too: texts a profile leaves out (those
    # kept inside an organisation) may be the closest.
    read = {practice_authors[pk] for pk in practice_ids[:ON_TOPIC_POSITION] if practice_authors.get(pk) in evidence}
    read.update(sorted(candidates, key=lambda member_id: (-_score(evidence[member_id]), member_id))[:TEXT_CANDIDATES])
    evidence = {member_id: found for member_id, found in evidence.items() if member_id in read}
    _read_texts(evidence, worded, query_vector, question_vector, practices, useful_answers, places, generations)
    shown = [member_id for member_id, found in evidence.items() if _shows_the_topic(found)]
    teams_of: dict[int, set[int]] = defaultdict(set)
    for member_id, team_id in Membership.objects.filter(member_id__in=shown).values_list("member_id", "team_id"):
        teams_of[member_id].add(team_id)
    active = _recently_active(shown)
    declines = _declines(shown)
    asker_teams = set(asker.teams.values_list("pk", flat=True))
    other_team = {member_id: not asker_teams & teams_of[member_id] for member_id in shown}
    scores = {
        member_id: _score(
            evidence[member_id],
            active=member_id in active,
            other_team=other_team[member_id],
            declines=declines.get(member_id, 0),
        )
        for member_id in shown
    }
    best = sorted(shown, key=lambda member_id: (-scores[member_id], member_id))[:limit]
    # Only the suggestions kept are loaded and explained.
    members = Member.objects.select_related("organisation").in_bulk(best)
    tags = _shared_tags({pk for member_id in best for _similarity, pk in evidence[member_id].on_topic_practices})
    closest = {evidence[member_id].closest_practice[1] for member_id in best if evidence[member_id].closest_practice}
    titles = dict(Practice.objects.filter(pk__in=[*tags, *closest]).values_list("pk", "title"))
    return [
        Suggestion(
            member=members[member_id],
            score=round(scores[member_id], 4),
            reasons=_reasons(
                evidence[member_id],
                members[member_id],
                asker,
                other_team[member_id],
                member_id in active,
                tags,
                titles,
            ),
        )
        for member_id in best
    ]


def _profile_candidates(question: Question, stems: list[str], idf: dict[str, float]) -> dict[int, float]:
    """The members whose profiles answer the question's words best, with how well (``_profile_words``):
    among the profiles holding one of the words most often, those holding them all most often.
    An organisation's question looks among its readers only, lest outsiders crowd them out."""
    counts = search.most_frequent(profiles.PROFILE_INDEX, stems, limit=PROFILE_PER_WORD)
    if question.visibility == Visibility.ORGANISATION:
        readers = set(question.audience().filter(pk__in=list(counts)).values_list("pk", flat=True))
        counts = {member_id: found for member_id, found in counts.items() if member_id in readers}
    # A first ranking on the counts read (a word whose most frequent holders a profile is not
    # among counts little in it), then the exact one, on all the words, of the best of them:
    # counting every word in thousands of profiles costs more than the rest of the routing.
    first_look = {member_id: _words_answered(found, idf) for member_id, found in counts.items()}
    promising = sorted(first_look, key=lambda member_id: (-first_look[member_id], member_id))[
        : PROFILE_CANDIDATES * PROFILE_FIRST_LOOK
    ]
    words = _profile_words(promising, stems, idf)
    best = sorted(words, key=lambda member_id: (-words[member_id], member_id))[:PROFILE_CANDIDATES]
    return {member_id: words[member_id] for member_id in best}


def _profile_words(member_ids: list[int], stems: list[str], idf: dict[str, float]) -> dict[int, float]:
    """How well each profile answers the question's words, between 0 and 1: each word's count
    saturating (``PROFILE_SATURATION``), weighted by how rare the word is among profiles."""
    return {
        member_id: _words_answered(counts, idf)
        for member_id, counts in search.term_counts(profiles.PROFILE_INDEX, member_ids, stems).items()
    }


def _words_answered(counts: dict[str, int], idf: dict[str, float]) -> float:
    """How well a profile holding the stems this often (``counts``) answers the question's words."""
    best_possible = sum(idf.values()) or 1.0
    return sum(weight * _saturated(counts.get(stem, 0)) for stem, weight in idf.items()) / best_possible


def _saturated(count: int) -> float:
    return count / (count + PROFILE_SATURATION)


def _profile_evidence(
    evidence: dict[int, Evidence], words: dict[int, float], stems, idf, query_vector, question_vector
) -> None:
    """Each candidate's profile compared with the question: its words (``words`` holds those
    known already), then its meaning."""
    members = list(evidence)
    words = {**words, **_profile_words([pk for pk in members if pk not in words], stems, idf)}
    for member_id in members:
        evidence[member_id].profile_words = words.get(member_id, 0.0)
    if query_vector is None:
        return
    rows = [
        (member_id, bytes(blob))
        for member_id, blob in ExpertProfile.objects.filter(member_id__in=members).values_list("member_id", "embedding")
        if blob
    ]
    if not rows:
        return
    vectors = semantic.decode_many([blob for _member_id, blob in rows])
    similarities = vectors @ query_vector
    if PASSAGE_MIX and question_vector is not None:
        similarities = (1 - PASSAGE_MIX) * similarities + PASSAGE_MIX * (vectors @ question_vector)
    for (member_id, _blob), similarity in zip(rows, similarities, strict=True):
        evidence[member_id].profile_meaning = float(similarity)


def _answer_candidates(text: str, useful_answers, query_vector, generation: int) -> list[int]:
    """Useful answers holding every word of the question, then any of them, then those closest in
    meaning. Synonyms are left to the meaning: matching dozens of them over every answer of a
    large network costs more than the rest of the routing."""
    stems = query_stems(text)
    found: dict[int, None] = {}
    for every in (True, False):
        for pk in search.matching(finding.ANSWER_INDEX, stems, every=every, limit=ANSWER_CANDIDATES * 3):
            found.setdefault(pk)
    close = ranking.closest_in_meaning(
        USEFUL_ANSWERS,
        query_vector,
        useful_answers,
        generation,
        floor=ON_TOPIC_POSITION_MEANING,
    )
    useful = set(useful_answers.filter(pk__in=list(found)).values_list("pk", flat=True))
    return list(dict.fromkeys([*(pk for pk in found if pk in useful)][:ANSWER_CANDIDATES] + close))


def _skill_holders(named: set[int], text: str) -> dict[int, list[tuple[str, bool]]]:
    """Members declaring one of the question's skills, or a skill named with the question's words."""
    stems = set(query_stems(text))
    wanted = set(named)
    newest = Skill.objects.aggregate(newest=Max("pk"))["newest"] or 0
    for pk, skill_stems in skill_stems_by_id(newest):
        if len(skill_stems & stems) * 2 >= len(skill_stems):
            wanted.add(pk)
    holders: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    if not wanted:
        return holders
    rows = (
        MemberSkill.objects.filter(skill_id__in=wanted)
        .order_by("-can_teach", "-created_at")
        .values_list("member_id", "skill__name", "can_teach")[: MAX_CANDIDATES * 2]
    )
    for member_id, name, can_teach in rows:
        holders[member_id].append((name, can_teach))
    return holders


@functools.lru_cache(maxsize=2)
def skill_stems_by_id(newest: int) -> list[tuple[int, frozenset[str]]]:
    """The stems of every skill's name, kept in this process until a skill is added (``newest`` changes)."""
    found = []
    for pk, name in Skill.objects.filter(pk__lte=newest).values_list("pk", "name"):
        stems = frozenset(query_stems(name))
        if stems:
            found.append((pk, stems))
    return found


def _eligible(question: Question, member_ids: list[int]) -> list[int]:
    """The candidates in order of discovery, without the asker, paused members, and members who
    may not read the question."""
    ordered = list(dict.fromkeys(pk for pk in member_ids if pk != question.author_id))[: MAX_CANDIDATES * 2]
    paused = set(ExpertSettings.objects.filter(member_id__in=ordered, paused=True).values_list("member_id", flat=True))
    readers = set(question.audience().filter(pk__in=ordered).values_list("pk", flat=True))
    return [pk for pk in ordered if pk in readers and pk not in paused][:MAX_CANDIDATES]


def _read_texts(
    evidence: dict[int, Evidence],
    text: str,
    query_vector,
    question_vector,
    practices,
    useful_answers,
    places,
    generations: dict[str, int],
) -> None:
    """Each candidate's texts compared with the question; ``places`` are the practices search's
    ranks, ``generations`` the data generations read when the routing began."""
    candidates = list(evidence)
    # Members write a few dozen texts at most: one query reads them all, bounded on the whole.
    rows = [
        ("practice", pk, member_id, blob)
        for pk, member_id, blob in practices.filter(author_id__in=candidates).values_list(
            "pk", "author_id", "embedding"
        )[: TEXTS_PER_MEMBER * len(candidates)]
    ]
    rows.extend(
        ("answer", pk, member_id, blob)
        for pk, member_id, blob in useful_answers.filter(author_id__in=candidates).values_list(
            "pk", "author_id", "embedding"
        )[: TEXTS_PER_MEMBER * len(candidates)]
    )
    if not rows:
        return
    if query_vector is not None:
        vectors = semantic.decode_many([bytes(blob) for *_rest, blob in rows])
        similarities = vectors @ query_vector
        if PASSAGE_MIX and question_vector is not None:
            similarities = (1 - PASSAGE_MIX) * similarities + PASSAGE_MIX * (vectors @ question_vector)
    else:
        similarities = np.full(len(rows), MEANING_BASELINE)
    # Words are looked for in the texts the search found and in each member's closest in meaning.
    closest: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for index, (_kind, _pk, member_id, _blob) in enumerate(rows):
        closest[member_id].append((float(similarities[index]), index))
    read = {
        index for found in closest.values() for _similarity, index in sorted(found, reverse=True)[:WORDS_PER_MEMBER]
    }
    read |= {index for index, (kind, pk, *_rest) in enumerate(rows) if kind == "practice" and pk in places}
    practice_words = ranking.word_matches(
        practice_ranking.INDEX,
        text,
        [rows[index][1] for index in read if rows[index][0] == "practice"],
        practice_ranking.indexed_total(generations[PRACTICES_GENERATION]),
    )
    answer_words = ranking.word_matches(
        finding.ANSWER_INDEX,
        text,
        [rows[index][1] for index in read if rows[index][0] == "answer"],
        cached("answer-total", generations[QUESTIONS_GENERATION], lambda: Answer.objects.count()),
    )
    close_to_best = max(ON_TOPIC_POSITION_MEANING, float(similarities.max()) - ON_TOPIC_POSITION_GAP)
    for (kind, pk, member_id, _blob), similarity in zip(rows, similarities, strict=True):
        words = (practice_words if kind == "practice" else answer_words).get(pk)
        word_score = words.score if words else 0.0
        found = evidence[member_id]
        found.similarities.append(float(similarity))
        found.word_scores.append(word_score)
        if kind == "practice" and (found.closest_practice is None or similarity > found.closest_practice[0]):
            found.closest_practice = (float(similarity), pk)
        place = places.get(pk) if kind == "practice" else None
        first_results = place is not None and place < ON_TOPIC_POSITION and similarity >= close_to_best
        if first_results or similarity >= ON_TOPIC_MEANING or word_score >= ON_TOPIC_WORDS:
            if kind == "practice":
                found.on_topic_practices.append((float(similarity), pk))
            else:
                found.on_topic_answers += 1


def _skill_score(named: set[str], text: str, skills: list[tuple[str, bool]]) -> float:
    """1 for a skill the question names, less for one named with some of its words; more if taught."""
    stems = set(query_stems(text))
    best = 0.0
    for name, can_teach in skills:
        skill_stems = set(query_stems(name))
        match = 1.0 if name in named else len(skill_stems & stems) / max(len(skill_stems), 1)
        best = max(best, match * (1.2 if can_teach else 1.0))
    return best


def _recently_active(member_ids: list[int]) -> set[int]:
    since = timezone.now() - ACTIVE_WINDOW
    counts = (
        Event.objects.filter(actor_id__in=member_ids, created_at__gte=since)
        .values("actor_id")
        .annotate(n=Count("id"))
        .filter(n__gte=ACTIVE_EVENTS)
    )
    return {row["actor_id"] for row in counts}


def _declines(member_ids: list[int]) -> dict[int, int]:
    since = timezone.now() - DECLINE_MEMORY
    rows = (
        Solicitation.objects.filter(expert_id__in=member_ids, declined_at__gte=since)
        .values("expert_id")
        .annotate(n=Count("id"))
    )
    return {row["expert_id"]: row["n"] for row in rows}


def _shared_tags(practice_ids: set[int]) -> dict[int, set[str]]:
    """The tags of each on-topic practice (to name what a member's practices are about)."""
    tags: dict[int, set[str]] = defaultdict(set)
    for pk, name in Practice.tags.through.objects.filter(practice_id__in=practice_ids).values_list(
        "practice_id", "tag__name"
    ):
        tags[pk].add(name)
    for pk in practice_ids:
        tags.setdefault(pk, set())
    return tags


def _shows_the_topic(found: Evidence) -> bool:
    """Someone who wrote on the topic, on a neighbouring one the search finds for the question, or
    who declares a related skill; anyone else is not an expert of it."""
    related = (
        found.search_score > 0
        and found.closest_practice is not None
        and found.closest_practice[0] >= ON_TOPIC_POSITION_MEANING
    )
    return bool(found.on_topic_practices or found.on_topic_answers or found.skill_score >= 0.5 or related)


def _top(values: list[float], count: int, pad: float) -> list[float]:
    best = sorted(values, reverse=True)[:count]
    return best + [pad] * (count - len(best))


def _score(found: Evidence, *, active: bool = False, other_team: bool = False, declines: int = 0) -> float:
    meaning = 0.0
    if found.similarities:
        best_three = _top(found.similarities, 3, MEANING_BASELINE)
        meaning = max(0.0, 0.6 * best_three[0] + 0.4 * sum(best_three) / 3 - MEANING_BASELINE)
    words = _top(found.word_scores, 3, 0.0)
    on_topic = len(found.on_topic_practices) + found.on_topic_answers
    return (
        WEIGHTS["meaning"] * meaning
        + WEIGHTS["search"] * found.search_score
        + WEIGHTS["profile_words"] * found.profile_words
        + WEIGHTS["profile_meaning"] * max(0.0, (found.profile_meaning or MEANING_BASELINE) - MEANING_BASELINE)
        + WEIGHTS["words"] * (words[0] + 0.5 * words[1] + 0.25 * words[2])
        + WEIGHTS["skill"] * found.skill_score
        + WEIGHTS["several"] * math.log1p(on_topic)
        + WEIGHTS["activity"] * active
        + WEIGHTS["other_team"] * other_team
        - WEIGHTS["decline"] * min(declines, MAX_DECLINES_COUNTED)
    )


def _reasons(found: Evidence, member, asker, other_team: bool, active: bool, tags, titles) -> list[dict]:
    reasons = []
    if found.on_topic_practices:
        on_topic = [pk for _similarity, pk in sorted(found.on_topic_practices, reverse=True)]
        reason = {"code": "practices", "count": len(on_topic)}
        common = Counter(tag for pk in on_topic for tag in tags.get(pk, ()))
        shared = [tag for tag, count in common.most_common() if count == len(on_topic)]
        if shared:
            reason["tag"] = shared[0]
        else:
            reason["title"] = titles.get(on_topic[0], "")  # the closest in meaning
        reasons.append(reason)
    elif found.closest_practice is not None and found.search_score > 0:
        reasons.append({"code": "related", "title": titles.get(found.closest_practice[1], "")})
    if found.on_topic_answers:
        reasons.append({"code": "answers", "count": found.on_topic_answers})
    for name, can_teach in found.skills[:2]:
        reasons.append({"code": "skill", "name": name, "teach": can_teach})
    if member.organisation_id != asker.organisation_id and member.organisation_id:
        reasons.append({"code": "other_organisation", "name": member.organisation.name})
    elif other_team:
        reasons.append({"code": "other_team"})
    if active:
        reasons.append({"code": "active"})
    return reasons


def reason_text(reason: dict) -> str:
    """A stored reason, worded for the reader (« a partagé 3 pratiques sur « entretien annuel » »)."""
    code = reason.get("code")
    if code == "practices":
        count = reason["count"]
        if reason.get("tag"):
            return ngettext(
                "a partagé %(count)s pratique sur « %(topic)s »",
                "a partagé %(count)s pratiques sur « %(topic)s »",
                count,
            ) % {"count": count, "topic": reason["tag"]}
        return ngettext(
            "a partagé %(count)s pratique proche de la question : « %(title)s »",
            "a partagé %(count)s pratiques proches de la question, dont « %(title)s »",
            count,
        ) % {"count": count, "title": reason.get("title", "")}
    if code == "related":
        return _("a partagé une pratique sur un sujet voisin : « %(title)s »") % {"title": reason["title"]}
    if code == "answers":
        return ngettext(
            "a donné %(count)s réponse appréciée à une question proche",
            "a donné %(count)s réponses appréciées à des questions proches",
            reason["count"],
        ) % {"count": reason["count"]}
    if code == "skill":
        if reason.get("teach"):
            return _("déclare la compétence « %(name)s » et peut la transmettre") % {"name": reason["name"]}
        return _("déclare la compétence « %(name)s »") % {"name": reason["name"]}
    if code == "other_organisation":
        return _("dans une autre organisation (%(name)s)") % {"name": reason["name"]}
    if code == "other_team":
        return _("dans une autre équipe")
    if code == "active":
        return _("a contribué ces dernières semaines")
    return ""
