from django.conf import settings
from django.core.paginator import Page, Paginator


def paginate(request, queryset, per_page: int | None = None) -> Page:
    """The requested page; a missing, garbled or too-large number falls back gracefully."""
    return Paginator(queryset, per_page or settings.PAGE_SIZE).get_page(request.GET.get("page"))
