"""The "bare Django view" of /work/shared/MEASURED.md: the floor that product pages are compared with."""

import random

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template.loader import get_template
from django.views.decorators.http import require_GET

from apprenance.people.models import Member

_max_pk = None


def _random_start() -> int:
    """A random member id, so that each request reads different rows as a real page would."""
    global _max_pk  # computed once per worker, the table's size does not change during a run
    if _max_pk is None:
        _max_pk = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    return random.randint(1, max(1, _max_pk - 20))


@login_not_required
@require_GET
def reference(request):
    # A primary-key range rather than OFFSET: SQLite walks every skipped row, which would make the
    # reference slower the bigger the table and flatter the pages compared with it.
    rows = Member.objects.filter(pk__gte=_random_start()).order_by("pk").values("pk", "first_name", "last_name")[:20]
    # No request passed to render: context processors (and the session lookup they trigger) stay out.
    return HttpResponse(get_template("bench/reference.html").render({"rows": list(rows)}))
