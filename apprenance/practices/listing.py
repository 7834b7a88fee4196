"""The practices list and its search, shared by the page and the API so that both answer alike."""

import hashlib
from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from apprenance.core.generations import cached, current
from apprenance.core.highlight import highlight, snippet
from apprenance.core.pagination import CachedCountPaginator
from apprenance.practices import ranking
from apprenance.practices.forms import PracticeFilterForm, Sort
from apprenance.practices.models import PRACTICES_GENERATION, Practice

SNIPPET_FIELDS = ("context", "what_we_did", "results")
# Orders other than relevance; without a query, "relevance" lists the newest first.
ORDERS = {Sort.NEWEST: ["-published_at", "-pk"], Sort.ADOPTED: ["-adoption_count", "-published_at", "-pk"]}


@dataclass
class Results:
    page: Page
    query: str
    stems: list[str]

    @property
    def searched_nothing_meaningful(self) -> bool:
        """A query made only of stop words or punctuation: nothing to search for."""
        return bool(self.query) and not self.stems


def find(member, form: PracticeFilterForm, page_number, per_page: int) -> Results:
    """One page of the published practices the member may see, filtered, searched and sorted."""
    data = form.cleaned_data if form.is_bound else {}
    queryset = Practice.objects.published().visible_to(member)
    if form.is_bound:
        queryset = form.filter(queryset)
    query, sort = data.get("q", ""), data.get("sort") or ""
    order = ORDERS.get(sort, ORDERS[Sort.NEWEST])
    if not query:
        # Counting every visible practice of a large network costs more than the page: the count
        # is kept (see CachedCountPaginator) under a key naming the data and what the member sees.
        key = f"practice-count:{current(PRACTICES_GENERATION)}:{filters_digest(member, form)}"
        paginator = CachedCountPaginator(lambda: queryset.for_list().order_by(*order), per_page, cache_key=key)
        return Results(page=paginator.get_page(page_number), query="", stems=[])

    ids, stems = ranked_ids(member, form, queryset)
    page = Paginator(ids, per_page).get_page(page_number)
    by_id = (
        Practice.objects.select_related("author", "team", "organisation").defer("embedding").in_bulk(page.object_list)
    )
    practices = [by_id[pk] for pk in page.object_list if pk in by_id]
    for practice in practices:
        practice.title_marked = highlight(practice.title, stems)
        practice.snippet = snippet("\n\n".join(getattr(practice, name) for name in SNIPPET_FIELDS), stems)
    page.object_list = practices
    return Results(page=page, query=query, stems=stems)


def filters_digest(member, form: PracticeFilterForm) -> str:
    """What a list depends on besides the data: the filters asked, and the member's organisation
    (members of one organisation see the same published practices)."""
    data = form.cleaned_data if form.is_bound else {}
    asked = sorted((name, str(value)) for name, value in data.items() if value not in ("", None, False))
    return hashlib.sha256(repr((member.organisation_id, asked)).encode()).hexdigest()


def ranked_ids(member, form: PracticeFilterForm, queryset) -> tuple[list[int], list[str]]:
    """The ids matching the form's query in the order asked, and the query's stems.

    Kept until practices change: a search met again (by anyone of the same organisation, who
    sees the same published practices) costs no ranking at all.
    """
    data = form.cleaned_data
    digest = filters_digest(member, form)

    generation = current(PRACTICES_GENERATION)

    def compute():
        ranked = ranking.rank(data["q"], queryset, filtered=form.narrows, generation=generation)
        ids = ranked.ids
        if data.get("sort") in ORDERS and ids:
            order = ORDERS[data["sort"]]
            ids = list(Practice.objects.filter(pk__in=ids).order_by(*order).values_list("pk", flat=True))
        return ids, ranked.stems

    return cached(f"practice-search:{digest}", generation, compute, timeout=600)
