from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apprenance.people.models import Member, Organisation, World


@require_GET
def home(request):
    member = request.user
    worlds = Organisation.objects.values("world").annotate(count=Count("id")).order_by("world")
    context = {
        "my_teams": member.teams.select_related("organisation").order_by("name"),
        "organisation_count": Organisation.objects.count(),
        "member_count": Member.objects.active().filter(organisation__isnull=False).count(),
        "worlds": worlds,
        "world_labels": World.choices,
        "newcomers": Member.objects.active()
        .visible_to(member)
        .filter(organisation__isnull=False)
        .select_related("organisation")
        .order_by("-date_joined", "-pk")[:6],
    }
    return render(request, "core/home.html", context)


@login_not_required
@never_cache
@require_GET
def health(request):
    """For load balancers and monitoring: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 -- any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
