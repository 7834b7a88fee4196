"""The practices list and its search, shared by the page and the API so that both answer alike."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from apprenance.core.highlight import highlight, snippet
from apprenance.practices import ranking
from apprenance.practices.forms import PracticeFilterForm, Sort
from apprenance.practices.models import Practice

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
        page = Paginator(queryset.for_list().order_by(*order), per_page).get_page(page_number)
        return Results(page=page, query="", stems=[])

    ranked = ranking.rank(query, queryset, filtered=form.narrows)
    ids = ranked.ids
    if sort in ORDERS and ids:
        ids = list(Practice.objects.filter(pk__in=ids).order_by(*order).values_list("pk", flat=True))
    page = Paginator(ids, per_page).get_page(page_number)
    by_id = (
        Practice.objects.select_related("author", "team", "organisation").defer("embedding").in_bulk(page.object_list)
    )
    practices = [by_id[pk] for pk in page.object_list if pk in by_id]
    for practice in practices:
        practice.title_marked = highlight(practice.title, ranked.stems)
        practice.snippet = snippet("\n\n".join(getattr(practice, name) for name in SNIPPET_FIELDS), ranked.stems)
    page.object_list = practices
    return Results(page=page, query=query, stems=ranked.stems)
