from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apprenance.core.pagination import paginate
from apprenance.skills import services
from apprenance.skills.forms import DeclaredSkillForm, DeclareSkillForm
from apprenance.skills.models import MemberSkill, Skill

# The names offered while typing: the most declared ones, enough to steer towards shared names.
SUGGESTED_NAMES = 200


def get_declared_skill_for(request, pk: int) -> MemberSkill:
    """One of the member's own declarations (404 for anyone else's, as if it did not exist)."""
    return get_object_or_404(MemberSkill.objects.select_related("skill"), member=request.user, pk=pk)


@require_http_methods(["GET", "POST"])
def my_skills(request):
    form = DeclareSkillForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        declared = services.declare_skill(
            request.user,
            form.cleaned_data["name"],
            level=form.cleaned_data["level"],
            can_teach=form.cleaned_data["can_teach"],
        )
        messages.success(request, _("« %(name)s » est ajoutée à vos compétences.") % {"name": declared.skill.name})
        return redirect("skills:mine")
    declared = request.user.declared_skills.select_related("skill").order_by("skill__name", "pk")
    known = (
        Skill.objects.annotate(holder_count=Count("holders"))
        .order_by("-holder_count", "name")
        .values_list("name", flat=True)[:SUGGESTED_NAMES]
    )
    context = {"form": form, "page": paginate(request, declared), "known": known}
    return render(request, "skills/my_skills.html", context)


@require_http_methods(["GET", "POST"])
def declared_skill_edit(request, pk):
    declared = get_declared_skill_for(request, pk)
    form = DeclaredSkillForm(request.POST or None, instance=declared)
    if request.method == "POST" and form.is_valid():
        services.update_declared_skill(
            request.user, declared, level=form.cleaned_data["level"], can_teach=form.cleaned_data["can_teach"]
        )
        messages.success(request, _("« %(name)s » est à jour.") % {"name": declared.skill.name})
        return redirect("skills:mine")
    return render(request, "skills/declared_skill_form.html", {"form": form, "declared": declared})


@require_http_methods(["GET", "POST"])
def declared_skill_remove(request, pk):
    """Removing asks for confirmation on its own page."""
    declared = get_declared_skill_for(request, pk)
    if request.method == "POST":
        services.remove_declared_skill(request.user, declared)
        messages.success(request, _("« %(name)s » est retirée de vos compétences.") % {"name": declared.skill.name})
        return redirect("skills:mine")
    return render(request, "skills/declared_skill_confirm_remove.html", {"declared": declared})
