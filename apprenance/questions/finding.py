"""Finding questions and answers: their full-text indexes, their stored meaning, and a ranking.

Questions are ranked like practices (apprenance.core.ranking): each word typed as its
stem and through its synonyms, weighted by how rare it is, more in the title, plus how close the
query's meaning is to each question's, whose vector was stored when it was written. Answers are
indexed too, read with their question: routing finds the members who answered alike before.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from apprenance.core import ranking, search, semantic
from apprenance.core.analysis import WORD, query_stems
from apprenance.core.generations import cached, current
from apprenance.core.highlight import highlight, plain_text
from apprenance.core.text import fold
from apprenance.practices import ranking as practice_ranking
from apprenance.practices.models import Practice
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
    """The question without its asking words (« Comment fais-tu pour motiver… » → « pour motiver… »)."""
    kept = [
        token
        for token in text.split()
        if not (parts := WORD.findall(fold(token))) or not all(part in ASKING_WORDS for part in parts)
    ]
    return " ".join(kept)


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
