import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import SimpleLazyObject, cached_property


def paginate(request, queryset, per_page: int | None = None) -> Page:
    """The requested page; a missing, garbled or too-large number falls back gracefully."""
    return Paginator(queryset, per_page or settings.PAGE_SIZE).get_page(request.GET.get("page"))


class CachedCountPaginator(Paginator):
    """For long lists shown through cached fragments.

    Counting tens of thousands of rows costs more than the rest of a page, so the count is
    cached under ``cache_key`` (which must name everything it depends on). The rows are only
    queried, and the query only built, when a fragment that is not cached shows them.
    """

    def __init__(self, build: Callable[[], QuerySet], per_page: int, *, cache_key: str):
        super().__init__(SimpleLazyObject(build), per_page)
        self.build = build
        self.cache_key = cache_key

    def _check_object_list_is_ordered(self):
        """Skipped: it would build the query; the callers order their lists."""

    @cached_property
    def count(self):
        count = cache.get(self.cache_key)
        if count is None:
            count = self.build().count()
            cache.set(self.cache_key, count, settings.COUNT_CACHE_SECONDS)
        return count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = SimpleLazyObject(lambda: list(self.build()[bottom : bottom + self.per_page]))
        return self._get_page(rows, number, self)


def paginate_large(request, build: Callable[[], QuerySet], *, version: str, per_page: int | None = None) -> Page:
    """Like paginate, for lists that can hold a whole network's members; ``build`` makes the queryset.

    The list must be a function of the URL (path and filters) and ``version`` (the data's
    generation and what the viewer may see): that is what keys its cached count.
    """
    filters = sorted((key, value) for key, values in request.GET.lists() if key != "page" for value in values)
    digest = hashlib.sha256(repr((version, request.path, filters)).encode()).hexdigest()
    paginator = CachedCountPaginator(build, per_page or settings.PAGE_SIZE, cache_key=f"count:{digest}")
    return paginator.get_page(request.GET.get("page"))
