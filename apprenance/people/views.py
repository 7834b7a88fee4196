from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.static import serve

from apprenance.core.generations import cached, current
from apprenance.core.pagination import paginate, paginate_large
from apprenance.people import services
from apprenance.people.access import get_member_for, get_organisation_for, get_team_for
from apprenance.people.forms import (
    AcceptInvitationForm,
    DirectoryFilterForm,
    EraseAccountForm,
    InvitationForm,
    MembershipForm,
    OrganisationForm,
    ProfileForm,
    TeamForm,
)
from apprenance.people.models import PEOPLE_GENERATION, Invitation, Member, Organisation

INVITATION_PROBLEMS = {
    "unknown": gettext_lazy("Ce lien d’invitation n’existe pas. Vérifiez qu’il a été copié en entier."),
    "used": gettext_lazy("Ce lien d’invitation a déjà servi. Connectez-vous avec votre adresse e-mail."),
    "revoked": gettext_lazy("Cette invitation a été annulée par l’administrateur de l’organisation."),
    "expired": gettext_lazy(
        "Cette invitation a expiré. Demandez-en une nouvelle à l’administrateur de votre organisation."
    ),
    "member_exists": gettext_lazy(
        "Un compte existe déjà pour cette adresse. Connectez-vous avec votre adresse e-mail."
    ),
}


def people_list_version(viewer, generation: int | None = None) -> str:
    """What a cached list of people depends on besides its URL: the data and what the viewer may see."""
    if generation is None:
        generation = current(PEOPLE_GENERATION)
    return f"{generation}-{viewer.visibility_scope}"


def organisation_options(generation: int) -> list[tuple[str, str]]:
    """(slug, name) of every organisation, for filters; cached until people data changes."""
    return cached(
        "organisation-options",
        generation,
        lambda: list(Organisation.objects.order_by("name").values_list("slug", "name")),
    )


@require_GET
def directory(request):
    generation = current(PEOPLE_GENERATION)
    form = DirectoryFilterForm(request.GET or None, organisation_options=organisation_options(generation))
    form.is_valid()  # invalid filters are dropped from cleaned_data and reported on the page

    def members():
        queryset = Member.objects.active().filter(organisation__isnull=False).visible_to(request.user)
        queryset = form.filter(queryset) if form.is_bound else queryset
        return queryset.for_directory()

    version = people_list_version(request.user, generation)
    page = paginate_large(request, members, version=version)
    results_only = bool(request.htmx) and not request.htmx.boosted
    template = "people/directory.html#results" if results_only else "people/directory.html"
    context = {"form": form, "page": page, "list_version": version, "results_only": results_only}
    return render(request, template, context)


@require_GET
def member_detail(request, pk):
    member = get_member_for(request, pk)
    context = {
        "member": member,
        # Built only if the cached fragment that shows them has expired.
        "teams": SimpleLazyObject(lambda: list(member.teams.order_by("name"))),
        "skills": SimpleLazyObject(
            lambda: list(member.declared_skills.select_related("skill").order_by("skill__name"))
        ),
        "generation": current(PEOPLE_GENERATION),
        "can_manage": request.user.can_manage(member.organisation),
    }
    return render(request, "people/member_detail.html", context)


@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, form)
        messages.success(request, _("Votre profil est à jour."))
        return redirect("people:member", pk=request.user.pk)
    return render(request, "people/profile_form.html", {"form": form})


@require_GET
def media_file(request, path):
    """Uploaded photos follow their member's profile visibility, attachments their practice's;
    logos are seen by every member."""
    if path.startswith("photos/"):
        allowed = Member.objects.active().visible_to(request.user).filter(photo=path).exists()
    elif path.startswith("practices/"):
        from apprenance.practices.access import attachment_visible

        allowed = attachment_visible(request.user, path)
    else:
        allowed = Organisation.objects.filter(logo=path).exists()
    if not allowed:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


@require_GET
def my_data(request):
    return render(request, "people/my_data.html")


@require_GET
def my_data_download(request):
    data = services.export_personal_data(request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="apprenance-mes-donnees.json"'
    return response


@require_http_methods(["GET", "POST"])
def erase_account(request):
    """A member erases their own account, after reading what goes and giving their password."""
    member = request.user
    refused = services.erasure_refused(member)
    form = EraseAccountForm(request.POST or None, member=member)
    if request.method == "POST" and not refused and form.is_valid():
        services.erase_member(member, by=member)
        logout(request)
        messages.success(request, _("Votre compte est effacé. Merci d’avoir partagé avec le réseau."))
        return redirect("people:login")
    context = {"themselves": True, "member": member, "form": form, "refused": refused}
    return render(request, "people/erase_confirm.html", context)


@require_http_methods(["GET", "POST"])
def manage_member_erase(request, slug, pk):
    """An organisation's admin erases a member's account at their request (RGPD, article 17)."""
    organisation = get_organisation_for(request, slug, manage=True)
    member = get_object_or_404(Member.objects.select_related("organisation"), organisation=organisation, pk=pk)
    if member.pk == request.user.pk:
        return redirect("people:erase_account")
    if member.is_erased:
        messages.info(request, _("Ce compte a été effacé."))
        return redirect("people:manage", slug=organisation.slug)
    refused = services.erasure_refused(member)
    if request.method == "POST" and not refused:
        name = member.full_name
        services.erase_member(member, by=request.user)
        messages.success(request, _("Les données de %(name)s sont effacées.") % {"name": name})
        return redirect("people:manage", slug=organisation.slug)
    context = {"themselves": False, "member": member, "organisation": organisation, "refused": refused}
    return render(request, "people/erase_confirm.html", context)


@require_GET
def organisation_list(request):
    page = paginate(request, Organisation.objects.with_counts().order_by("name", "pk"))
    context = {"page": page, "generation": current(PEOPLE_GENERATION)}
    return render(request, "people/organisation_list.html", context)


@require_GET
def organisation_detail(request, slug):
    organisation = get_organisation_for(request, slug)

    def people():
        queryset = Member.objects.active().filter(organisation=organisation).visible_to(request.user)
        return queryset.for_directory()

    version = people_list_version(request.user)
    page = paginate_large(request, people, version=version)
    context = {
        "organisation": organisation,
        # Built only if the cached fragment that lists them has expired.
        "teams": SimpleLazyObject(
            lambda: list(organisation.teams.annotate(member_count=Count("memberships")).order_by("name"))
        ),
        "page": page,
        "list_version": version,
        "can_manage": request.user.can_manage(organisation),
    }
    return render(request, "people/organisation_detail.html", context)


@require_GET
def team_detail(request, slug, pk):
    organisation = get_organisation_for(request, slug)
    team = get_team_for(request, organisation, pk)

    def people():
        queryset = Member.objects.active().filter(memberships__team=team).visible_to(request.user)
        return queryset.for_directory()

    version = people_list_version(request.user)
    page = paginate_large(request, people, version=version)
    children = team.children.order_by("name")
    context = {"organisation": organisation, "team": team, "children": children, "page": page, "list_version": version}
    return render(request, "people/team_detail.html", context)


# --- Organisation management (organisation admins and network admins) ------------------


@require_GET
def manage(request, slug):
    organisation = get_organisation_for(request, slug, manage=True)
    members = Member.objects.filter(organisation=organisation)
    query = request.GET.get("q", "").strip()
    if query:
        members = members.search(query)
    page = paginate(request, members.for_directory(), per_page=50)
    teams = organisation.teams.annotate(member_count=Count("memberships")).select_related("parent").order_by("name")
    pending = organisation.invitations.pending().select_related("invited_by")[:100]
    context = {"organisation": organisation, "page": page, "teams": teams, "pending": pending, "query": query}
    return render(request, "people/manage/overview.html", context)


@require_http_methods(["GET", "POST"])
def manage_member(request, slug, pk):
    organisation = get_organisation_for(request, slug, manage=True)
    member = get_object_or_404(Member.objects.select_related("organisation"), organisation=organisation, pk=pk)
    if member.is_erased:  # nothing is left to manage, nor to bring back
        messages.info(request, _("Ce compte a été effacé."))
        return redirect("people:manage", slug=organisation.slug)
    initial = {"role": member.role, "teams": member.teams.all(), "is_active": member.is_active}
    form = MembershipForm(request.POST or None, initial=initial, member=member, admin=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_membership(
            admin=request.user,
            member=member,
            role=form.cleaned_data["role"],
            teams=list(form.cleaned_data["teams"]),
            is_active=form.cleaned_data["is_active"],
        )
        messages.success(request, _("Les changements pour %(name)s sont enregistrés.") % {"name": member.full_name})
        return redirect("people:manage", slug=organisation.slug)
    return render(
        request, "people/manage/member_form.html", {"organisation": organisation, "member": member, "form": form}
    )


@require_http_methods(["GET", "POST"])
def manage_team(request, slug, pk=None):
    organisation = get_organisation_for(request, slug, manage=True)
    team = get_team_for(request, organisation, pk) if pk else None
    form = TeamForm(request.POST or None, instance=team, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        team = services.save_team(admin=request.user, form=form)
        messages.success(request, _("L’équipe « %(name)s » est enregistrée.") % {"name": team.name})
        return redirect("people:manage", slug=organisation.slug)
    return render(request, "people/manage/team_form.html", {"organisation": organisation, "team": team, "form": form})


@require_http_methods(["GET", "POST"])
def delete_team(request, slug, pk):
    organisation = get_organisation_for(request, slug, manage=True)
    team = get_team_for(request, organisation, pk)
    if request.method == "POST":
        services.delete_team(admin=request.user, team=team)
        messages.success(request, _("L’équipe « %(name)s » a été supprimée.") % {"name": team.name})
        return redirect("people:manage", slug=organisation.slug)
    member_count = team.memberships.count()
    return render(
        request,
        "people/manage/team_confirm_delete.html",
        {"organisation": organisation, "team": team, "member_count": member_count},
    )


@require_http_methods(["GET", "POST"])
def manage_organisation(request, slug):
    organisation = get_organisation_for(request, slug, manage=True)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.update_organisation(admin=request.user, form=form)
        messages.success(request, _("La fiche de l’organisation est à jour."))
        return redirect("people:organisation", slug=organisation.slug)
    return render(request, "people/manage/organisation_form.html", {"organisation": organisation, "form": form})


@require_http_methods(["GET", "POST"])
def invite(request, slug):
    organisation = get_organisation_for(request, slug, manage=True)
    form = InvitationForm(request.POST or None, request.FILES or None, organisation=organisation, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        invitations = services.invite_members(
            organisation=organisation,
            emails=form.cleaned_data["all_emails"],
            role=form.cleaned_data["role"],
            teams=list(form.cleaned_data["teams"]),
            invited_by=request.user,
        )
        messages.success(
            request,
            ngettext(
                "%(count)s invitation envoyée.",
                "%(count)s invitations envoyées.",
                len(invitations),
            )
            % {"count": len(invitations)},
        )
        return redirect("people:manage", slug=organisation.slug)
    context = {"organisation": organisation, "form": form, "invitation_days": settings.INVITATION_VALID_DAYS}
    return render(request, "people/manage/invite.html", context)


@require_POST
def revoke_invitation(request, slug, pk):
    organisation = get_organisation_for(request, slug, manage=True)
    invitation = get_object_or_404(Invitation, organisation=organisation, pk=pk)
    services.revoke_invitation(admin=request.user, invitation=invitation)
    messages.success(request, _("L’invitation de %(email)s est annulée.") % {"email": invitation.email})
    return redirect("people:manage", slug=organisation.slug)


# --- Joining through an invitation ------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    try:
        invitation = services.find_invitation(token)
    except services.InvitationUnavailableError as problem:
        return render(
            request, "people/invitation_unavailable.html", {"reason": INVITATION_PROBLEMS[problem.reason]}, status=410
        )
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.accept_invitation(
                token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationUnavailableError as problem:
            return render(
                request,
                "people/invitation_unavailable.html",
                {"reason": INVITATION_PROBLEMS[problem.reason]},
                status=410,
            )
        login(request, member, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("Bienvenue dans %(organisation)s !") % {"organisation": invitation.organisation.name}
        )
        return redirect("people:profile_edit")
    return render(request, "people/accept_invitation.html", {"invitation": invitation, "form": form})
