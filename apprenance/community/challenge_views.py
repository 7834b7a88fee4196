"""The team challenges' pages: the lists, a challenge and its leaderboard, opening, editing, deleting."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apprenance.community import challenges
from apprenance.community.access import (
    can_manage_challenge,
    can_run_challenges,
    get_challenge_for,
    require_challenge_runner,
)
from apprenance.community.challenge_forms import ChallengeForm
from apprenance.community.models import ChallengeStatus, TeamChallenge
from apprenance.core.pagination import paginate

# The list's tabs: the query string's word for each status.
WHEN = {"en-cours": ChallengeStatus.RUNNING, "a-venir": ChallengeStatus.UPCOMING, "termines": ChallengeStatus.FINISHED}
LEADERBOARD_PAGE_SIZE = 50


@require_GET
def challenge_list(request):
    status = WHEN.get(request.GET.get("quand", ""), ChallengeStatus.RUNNING)
    visible = TeamChallenge.objects.visible_to(request.user).select_related("organisation")
    context = {
        "page": paginate(request, visible.in_status(status)),
        "status": status,
        "tabs": [(word, ChallengeStatus(value).label, value == status) for word, value in WHEN.items()],
        "can_run": can_run_challenges(request.user),
    }
    return render(request, "community/challenges/list.html", context)


@require_GET
def challenge_detail(request, pk):
    challenge = get_challenge_for(request.user, pk)
    board = challenges.leaderboard(challenge)
    my_team_ids = set(request.user.teams.values_list("pk", flat=True))
    mine = [standing for standing in board.standings if standing.team.pk in my_team_ids]
    context = {
        "challenge": challenge,
        "page": paginate(request, board.standings, LEADERBOARD_PAGE_SIZE),
        "team_count": len(board.standings),
        "my_team_ids": my_team_ids,
        "mine": [(standing, challenges.team_contributions(board, standing.team.pk)) for standing in mine],
        "can_manage": can_manage_challenge(request.user, challenge),
        "points_by_repeat": challenges.POINTS_BY_REPEAT,
    }
    return render(request, "community/challenges/detail.html", context)


@require_http_methods(["GET", "POST"])
def challenge_create(request):
    require_challenge_runner(request.user)
    form = ChallengeForm(request.POST or None, runner=request.user)
    if request.method == "POST" and form.is_valid():
        challenge = challenges.create_challenge(request.user, form.challenge_data())
        messages.success(request, _("Le défi est ouvert : les équipes voient leur classement sur sa page."))
        return redirect(challenge.get_absolute_url())
    return render(request, "community/challenges/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def challenge_edit(request, pk):
    challenge = get_challenge_for(request.user, pk, manage=True)
    form = ChallengeForm(request.POST or None, runner=request.user, challenge=challenge)
    if request.method == "POST" and form.is_valid():
        challenges.update_challenge(request.user, challenge, form.challenge_data())
        messages.success(request, _("Le défi est modifié ; son classement suit."))
        return redirect(challenge.get_absolute_url())
    return render(request, "community/challenges/form.html", {"form": form, "challenge": challenge})


@require_http_methods(["GET", "POST"])
def challenge_delete(request, pk):
    challenge = get_challenge_for(request.user, pk, manage=True)
    if request.method == "POST":
        challenges.delete_challenge(request.user, challenge)
        messages.success(request, _("Le défi « %(title)s » est supprimé.") % {"title": challenge.title})
        return redirect("community:challenges")
    return render(request, "community/challenges/delete.html", {"challenge": challenge})
