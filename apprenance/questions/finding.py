"""Finding questions and answers: their full-text indexes, their stored meaning, and a ranking.

Questions are ranked like practices (apprenance.core.ranking): each word typed as its
stem and through its synonyms, weighted by how rare it is, more in the title, plus how close the
query's meaning is to each question's, whose vector was stored when it was written. Answers are
indexed too, read with their question: routing finds the members who answered alike before.
"""

from dataclasses import dataclass
from itertools import zip_longest

from django.core.paginator import Page, Paginator

from apprenance.core import ranking, search, semantic
from apprenance.core.analysis import WORD, query_stems, without_asking
from apprenance.core.generations import cached, current
from apprenance.core.highlight import highlight, plain_text, snippet
from apprenance.core.text import fold
from apprenance.practices import listing
from apprenance.practices import ranking as practice_ranking
from apprenance.practices.forms import PracticeFilterForm
from apprenance.practices.models import Practice
from apprenance.questions.forms import ResultType
from apprenance.questions.models import QUESTIONS_GENERATION, Answer, Question

QUESTION_INDEX = "question"
ANSWER_INDEX = "answer"
# Questions are short: beyond this gap below the closest one, closeness in meaning is noise.
DENSE_GAP = 0.04


def question_body(question: Question, tags=(), skills=()) -> str:
    """What the index and the stored meaning read besides the title."""
    parts = [plain_text(question.details), *(str(label) for label in (*tags, *skills))]
    return "\n".join(part for part in parts if part)


def refresh_question(question: Question, tags, skills) -> None:
    """Index the question and store its meaning; called inside every write's transaction."""
    body = question_body(question, tags, skills)
    search.index(QUESTION_INDEX, question.pk, question.title, body)
    question.embedding = semantic.encode(semantic.passage_vector(f"{question.title}. {body}"))
    Question.objects.filter(pk=question.pk).update(embedding=question.embedding)


def refresh_answer(answer: Answer) -> None:
    """Index an answer under its question's title, and store the meaning of both read together."""
    title, body = answer.question.title, plain_text(answer.body)
    search.index(ANSWER_INDEX, answer.pk, title, body)
    vector = semantic.passage_vector(f"{title}. {body}")
    Answer.objects.filter(pk=answer.pk).update(embedding=semantic.encode(vector))


QUESTIONS = ranking.Documents(QUESTION_INDEX, lambda: Question.objects.all(), dense_gap=DENSE_GAP)


def rank_questions(text: str, queryset, *, filtered: bool) -> ranking.Ranking:
    """The ids of ``queryset`` (already limited to what the member may see) matching ``text``, best first."""
    generation = current(QUESTIONS_GENERATION)
    total = cached("question-total", generation, lambda: Question.objects.count())
    return ranking.rank(QUESTIONS, text, queryset, filtered=filtered, generation=generation, total=total)


@dataclass
class Results:
    page: Page
    query: str
    stems: list[str]

    @property
    def searched_nothing_meaningful(self) -> bool:
        """A query made only of stop words or punctuation: nothing to search for."""
        return bool(self.query) and not self.stems


def find(member, form, page_number, per_page: int) -> Results:
    """One page of the questions the member may see, filtered, and searched when a query is given."""
    queryset = Question.objects.visible_to(member)
    if form.is_bound and form.is_valid():
        queryset = form.filter(queryset)
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    if not query:
        page = Paginator(queryset.for_list().order_by("-created_at", "-pk"), per_page).get_page(page_number)
        return Results(page=page, query="", stems=[])
    ranked = rank_questions(query, queryset, filtered=form.narrows)
    page = Paginator(ranked.ids, per_page).get_page(page_number)
    by_id = Question.objects.for_list().in_bulk(page.object_list)
    questions = [by_id[pk] for pk in page.object_list if pk in by_id]
    for question in questions:
        question.title_marked = highlight(question.title, ranked.stems)
    page.object_list = questions
    return Results(page=page, query=query, stems=ranked.stems)


# How questions are phrased, not what they are about: « Comment fais-tu pour… ? », « Des idées pour… ».
ASKING_WORDS = frozenset(
    {
        "comment", "fais", "fait", "faites", "faire", "tu", "vous", "quoi", "quel", "quels", "quelle",
        "quelles", "idee", "idees", "conseil", "conseils", "astuce", "astuces", "avez", "as", "peut",
        "peux", "pouvez", "on", "ton", "votre", "vos", "tes",
    }
)  # fmt: skip


def topic_of(text: str) -> str:
    """The question without its asking words nor its punctuation (« Comment fais-tu pour motiver… ? »
    → « motiver »): what it is about, read by the search as a member would type it there. A
    stray « : » or « ? » moves its meaning enough to reorder close results (bench/routing_quality.py)."""
    kept = [
        token
        for token in without_asking(text).split()
        if (parts := WORD.findall(fold(token))) and not all(part in ASKING_WORDS for part in parts)
    ]
    return " ".join(kept).strip(TRAILING_PUNCTUATION)


TRAILING_PUNCTUATION = " ?!.:;,…"


SUGGESTIONS_SHOWN = 4


def suggestions_for(member, title: str) -> tuple[list, list]:
    """Published practices and answered questions that may already answer ``title`` (while it is typed)."""
    topic = topic_of(title)
    if not query_stems(topic):
        return [], []
    visible = Practice.objects.published().visible_to(member)
    practice_ids = practice_ranking.rank(topic, visible, filtered=False).ids
    practices = Practice.objects.for_list().in_bulk(practice_ids[:SUGGESTIONS_SHOWN])
    answered = Question.objects.visible_to(member).filter(answer_count__gt=0)
    question_ids = rank_questions(topic, answered, filtered=True).ids[:SUGGESTIONS_SHOWN]
    questions = Question.objects.for_list().in_bulk(question_ids)
    return (
        [practices[pk] for pk in practice_ids[:SUGGESTIONS_SHOWN] if pk in practices],
        [questions[pk] for pk in question_ids if pk in questions],
    )


# The combined search page (practices and questions in one list).
PRACTICE, QUESTION = "practice", "question"


@dataclass
class Hit:
    """One line of the combined search: a practice or a question, its title marked, a snippet."""

    kind: str
    item: Practice | Question


@dataclass
class CombinedResults(Results):
    practice_count: int = 0
    question_count: int = 0


def interleave(practice_ids: list[int], question_ids: list[int]) -> list[tuple[str, int]]:
    """Both rankings as one list: the n-th practice, then the n-th question, and so on; once one
    runs out, the other goes on alone.

    The two come from the same ranking (apprenance.core.ranking) but it hands back ordered ids,
    not scores, and each family's words are weighed by their rarity in its own index: ranks are
    what the two lists share. Alternating keeps the best of each type at the top of the page.
    A practice goes first at equal rank: it tells what was done, a question may still wait.
    """
    merged = []
    for practice_id, question_id in zip_longest(practice_ids, question_ids):
        if practice_id is not None:
            merged.append((PRACTICE, practice_id))
        if question_id is not None:
            merged.append((QUESTION, question_id))
    return merged


def search_everything(member, form, page_number, per_page: int) -> CombinedResults:
    """One page of the published practices and the questions the member may open that match the
    query, of the type asked, best first."""
    query = form.query
    if not query:
        return CombinedResults(page=Paginator([], per_page).get_page(1), query="", stems=[])
    # The practices are ranked as on their own page, sharing its cache (same query, no filter).
    practice_form = PracticeFilterForm({"q": query}, organisation_options=[])
    practice_form.is_valid()
    practice_ids, stems = listing.ranked_ids(member, practice_form, Practice.objects.published().visible_to(member))
    # Both are ranked whatever the type asked: the page says how many of the other type match.
    question_ids = rank_questions(query, Question.objects.visible_to(member), filtered=False).ids
    shown = {
        ResultType.PRACTICES: (practice_ids, []),
        ResultType.QUESTIONS: ([], question_ids),
    }.get(form.result_type, (practice_ids, question_ids))
    page = Paginator(interleave(*shown), per_page).get_page(page_number)
    page.object_list = _hits(page.object_list, stems)
    return CombinedResults(
        page=page,
        query=query,
        stems=stems,
        practice_count=len(practice_ids),
        question_count=len(question_ids),
    )


def _hits(keys: list[tuple[str, int]], stems: list[str]) -> list[Hit]:
    """The page's practices and questions, two queries in all, in the ranking's order."""
    wanted = {PRACTICE: [], QUESTION: []}
    for kind, pk in keys:
        wanted[kind].append(pk)
    loaded = {
        PRACTICE: Practice.objects.select_related("author", "team", "organisation")
        .defer("embedding")
        .in_bulk(wanted[PRACTICE]),
        QUESTION: Question.objects.select_related("author", "team", "organisation")
        .defer("embedding")
        .in_bulk(wanted[QUESTION]),
    }
    hits = []
    for kind, pk in keys:
        item = loaded[kind].get(pk)
        if item is None:  # deleted since it was ranked
            continue
        item.title_marked = highlight(item.title, stems)
        text = "\n\n".join(getattr(item, name) for name in listing.SNIPPET_FIELDS) if kind == PRACTICE else item.details
        item.snippet = snippet(text, stems)
        hits.append(Hit(kind, item))
    return hits
