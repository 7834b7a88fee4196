import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


def paginate(request, queryset, per_page: int | None = None) -> Page:
    """The requested page; a missing, garbled or too-large number falls back gracefully."""
    return Paginator(queryset, per_page or settings.PAGE_SIZE).get_page(request.GET.get("page"))


class CachedCountPaginator(Paginator):
    """Counting tens of thousands of rows costs more than the rest of a page: keep the count.

    ``cache_key`` must name everything the count depends on (see paginate_large).
    """

    def __init__(self, object_list, per_page, *, cache_key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cache_key = cache_key

    @cached_property
    def count(self):
        count = cache.get(self.cache_key)
        if count is None:
            count = self.object_list.count()
            cache.set(self.cache_key, count, settings.COUNT_CACHE_SECONDS)
        return count


def paginate_large(request, queryset, *, version: str, per_page: int | None = None) -> Page:
    """Like paginate, for lists that can hold a whole network's members.

    The list must be a function of the URL (path and filters) and ``version`` (the data's
    generation and what the viewer may see): that is what keys its cached count.
    """
    filters = sorted((key, value) for key, values in request.GET.lists() if key != "page" for value in values)
    digest = hashlib.sha256(repr((version, request.path, filters)).encode()).hexdigest()
    paginator = CachedCountPaginator(queryset, per_page or settings.PAGE_SIZE, cache_key=f"count:{digest}")
    return paginator.get_page(request.GET.get("page"))
