from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apprenance.core.generations import cached, current
from apprenance.people.models import PEOPLE_GENERATION, Member, Organisation, World


def network_figures() -> dict:
    """How many people and organisations, per world: counting a large network costs more than
    the page, so the figures are kept until people data changes."""

    def count():
        world_labels = dict(World.choices)
        return {
            "organisation_count": Organisation.objects.count(),
            "member_count": Member.objects.active().filter(organisation__isnull=False).count(),
            "worlds": [
                (row["world"], row["count"])
                for row in Organisation.objects.values("world").annotate(count=Count("id")).order_by("world")
                if row["world"] in world_labels
            ],
        }

    return cached("network-figures", current(PEOPLE_GENERATION), count)


@require_GET
def home(request):
    member = request.user
    figures = network_figures()
    world_labels = dict(World.choices)
    context = {
        "organisation_count": figures["organisation_count"],
        "member_count": figures["member_count"],
        "worlds": [(world, world_labels[world], count) for world, count in figures["worlds"]],
        "my_teams": member.teams.select_related("organisation").order_by("name"),
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
