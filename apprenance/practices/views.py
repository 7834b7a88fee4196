import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apprenance.core.generations import cached, current
from apprenance.people.models import PEOPLE_GENERATION
from apprenance.people.views import organisation_options
from apprenance.practices import exports, listing, services
from apprenance.practices.access import can_curate, can_edit, get_practice_for, get_practice_to_curate
from apprenance.practices.forms import (
    AdoptionForm,
    AttachmentForm,
    CommentForm,
    PracticeFilterForm,
    PracticeForm,
    RetainForm,
    StageForm,
)
from apprenance.practices.models import (
    PRACTICES_GENERATION,
    Adoption,
    Attachment,
    Comment,
    Follow,
    Reaction,
    Status,
    Toolkit,
    ToolkitItem,
)
from apprenance.practices.spread import spread_of


@require_GET
def practice_list(request):
    form = PracticeFilterForm(
        request.GET or None, organisation_options=organisation_options(current(PEOPLE_GENERATION))
    )
    form.is_valid()  # invalid filters are dropped and reported on the page
    results = rendered_results(request, form)
    # Choosing an organisation redraws the filters too (its teams appear); other filters, only the results.
    if request.htmx and not request.htmx.boosted and request.htmx.trigger_name != "organisation":
        return HttpResponse(results)
    return render(request, "practices/list.html", {"form": form, "results_html": results})


def rendered_results(request, form: PracticeFilterForm) -> str:
    """The results section, kept until practices change.

    It is the same for every member of an organisation asking the same thing (they see the same
    published practices), and the list is the network's busiest page.
    """
    asked = sorted(request.GET.lists())
    key = f"practice-results:{request.user.organisation_id}:{get_language()}:{bool(form.errors)}:{asked}"

    def render_results():
        results = listing.find(request.user, form, request.GET.get("page"), settings.PRACTICES_PAGE_SIZE)
        context = {"form": form, "results": results, "page": results.page}
        return render_to_string("practices/list.html#results", context, request)

    digest = hashlib.sha256(key.encode()).hexdigest()
    return mark_safe(cached(f"practice-results:{digest}", current(PRACTICES_GENERATION), render_results, 600))  # noqa: S308 -- rendered by the template engine


@require_GET
def practice_detail(request, pk):
    practice = get_practice_for(request, pk)
    member = request.user
    comments = (
        Comment.objects.filter(practice=practice, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=Comment.objects.select_related("author")))
    )
    context = {
        "practice": practice,
        "tags": practice.tags.all(),
        "attachments": practice.attachments.all(),
        "skills": practice.skills.all(),
        "comments": comments,
        "comment_form": CommentForm(),
        "spread": spread_of(practice),
        "stage_changes": practice.stage_changes.select_related("decided_by"),
        "my_reactions": set(Reaction.objects.filter(practice=practice, member=member).values_list("kind", flat=True)),
        "following": Follow.objects.filter(practice=practice, member=member).exists(),
        "my_adoption": Adoption.objects.filter(practice=practice, member=member).first(),
        "can_edit": can_edit(member, practice),
        "can_curate": can_curate(member) and practice.status == Status.PUBLISHED,
        "toolkit_items": ToolkitItem.objects.filter(practice=practice).select_related("section__toolkit"),
    }
    return render(request, "practices/detail.html", context)


@require_http_methods(["GET", "POST"])
def practice_create(request):
    if request.user.organisation_id is None:
        raise PermissionDenied
    form = PracticeForm(request.POST or None, author=request.user)
    if request.method == "POST" and form.is_valid():
        publish = "publish" in request.POST
        practice = services.create_practice(request.user, form.practice_data(), publish=publish)
        messages.success(request, _("Votre pratique est publiée.") if publish else _("Brouillon enregistré."))
        return redirect(practice)
    return render(request, "practices/form.html", {"form": form, "practice": None})


@require_http_methods(["GET", "POST"])
def practice_edit(request, pk):
    practice = get_practice_for(request, pk, write=True)
    form = PracticeForm(request.POST or None, instance=practice, author=practice.author)
    if request.method == "POST" and form.is_valid():
        # The form wrote its values onto the instance: the service compares with the stored row.
        practice = services.update_practice(
            request.user, practice, form.practice_data(), publish="publish" in request.POST
        )
        messages.success(request, _("Modifications enregistrées."))
        return redirect(practice)
    return render(request, "practices/form.html", {"form": form, "practice": practice})


@require_GET
def practice_history(request, pk):
    practice = get_practice_for(request, pk)
    revisions = practice.revisions.select_related("editor")
    return render(request, "practices/history.html", {"practice": practice, "revisions": revisions})


@require_http_methods(["GET", "POST"])
def practice_archive(request, pk):
    """Archiving (or bringing back) asks for confirmation on its own page."""
    practice = get_practice_for(request, pk, write=True)
    target = Status.PUBLISHED if practice.status == Status.ARCHIVED else Status.ARCHIVED
    if practice.status == Status.DRAFT:
        raise PermissionDenied
    if request.method == "POST":
        services.set_status(request.user, practice, target)
        messages.success(request, _("Pratique archivée.") if target == Status.ARCHIVED else _("Pratique republiée."))
        return redirect(practice)
    return render(request, "practices/archive_confirm.html", {"practice": practice, "target": target})


@require_http_methods(["GET", "POST"])
def practice_delete(request, pk):
    """Deleting asks for confirmation on its own page, saying what goes with the practice and
    offering to archive it instead (archiving keeps others' comments and trials)."""
    practice = get_practice_for(request, pk, write=True)
    if request.method == "POST":
        services.delete_practice(request.user, practice)
        messages.success(request, _("La pratique « %(title)s » est supprimée.") % {"title": practice.title})
        return redirect("practices:list")
    context = {
        "practice": practice,
        "comment_count": practice.comments.count(),
        "adoption_count": practice.adoptions.count(),
        "toolkits": sorted(
            {item.section.toolkit.title for item in practice.toolkit_items.select_related("section__toolkit")}
        ),
    }
    return render(request, "practices/delete_confirm.html", context)


@require_http_methods(["GET", "POST"])
def practice_attachments(request, pk):
    practice = get_practice_for(request, pk, write=True)
    form = AttachmentForm(request.POST or None, request.FILES or None, practice=practice)
    if request.method == "POST" and form.is_valid():
        services.attach_file(
            request.user,
            practice,
            form.cleaned_data["file"],
            kind=form.recognised.kind,
            extension=form.recognised.extension,
            name=form.cleaned_data["name"],
        )
        messages.success(request, _("Pièce jointe ajoutée."))
        return redirect("practices:attachments", pk=practice.pk)
    context = {"practice": practice, "form": form, "attachments": practice.attachments.all()}
    return render(request, "practices/attachments.html", context)


@require_http_methods(["GET", "POST"])
def attachment_remove(request, pk, attachment_pk):
    practice = get_practice_for(request, pk, write=True)
    attachment = get_object_or_404(Attachment, practice=practice, pk=attachment_pk)
    if request.method == "POST":
        services.remove_attachment(request.user, attachment)
        messages.success(request, _("Pièce jointe retirée."))
        return redirect("practices:attachments", pk=practice.pk)
    return render(request, "practices/attachment_confirm_remove.html", {"practice": practice, "attachment": attachment})


@require_POST
def practice_comment(request, pk):
    practice = get_practice_for(request, pk)
    if practice.status != Status.PUBLISHED:
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = get_object_or_404(Comment, practice=practice, pk=form.cleaned_data["parent"])
        services.add_comment(request.user, practice, form.cleaned_data["body"], parent)
        messages.success(request, _("Commentaire publié."))
    else:
        messages.error(request, _("Le commentaire est vide : rien n’a été publié."))
    return redirect(f"{practice.get_absolute_url()}#commentaires")


@require_POST
def practice_react(request, pk, kind):
    practice = get_practice_for(request, pk)
    if practice.status != Status.PUBLISHED or kind not in ("useful", "thanks"):
        raise PermissionDenied
    if practice.author_id != request.user.pk:
        services.toggle_reaction(request.user, practice, kind)
    if request.htmx:
        practice.refresh_from_db(fields=["useful_count", "thanks_count"])
        reactions = set(Reaction.objects.filter(practice=practice, member=request.user).values_list("kind", flat=True))
        context = {"practice": practice, "my_reactions": reactions}
        return render(request, "practices/detail.html#reactions", context)
    return redirect(practice)


@require_POST
def practice_follow(request, pk):
    practice = get_practice_for(request, pk)
    following = services.toggle_follow(request.user, practice)
    messages.success(
        request,
        _("Vous serez prévenu·e des nouveaux commentaires.") if following else _("Vous ne suivez plus cette pratique."),
    )
    return redirect(practice)


@require_http_methods(["GET", "POST"])
def practice_adopt(request, pk):
    practice = get_practice_for(request, pk)
    if practice.status != Status.PUBLISHED or practice.author_id == request.user.pk or not request.user.organisation_id:
        raise PermissionDenied
    existing = Adoption.objects.filter(practice=practice, member=request.user).first()
    initial = {"team": existing.team_id, "outcome": existing.outcome, "note": existing.note} if existing else None
    form = AdoptionForm(request.POST or None, member=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.adopt_practice(request.user, practice, **form.cleaned_data)
        messages.success(request, _("Merci ! Votre essai est enregistré, l’auteur en est prévenu."))
        return redirect(practice)
    return render(request, "practices/adopt.html", {"practice": practice, "form": form, "existing": existing})


@require_http_methods(["GET", "POST"])
def practice_stage(request, pk):
    practice = get_practice_to_curate(request, pk)
    form = StageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.decide_stage(request.user, practice, form.cleaned_data["stage"], form.cleaned_data["reason"])
        messages.success(request, _("Décision enregistrée."))
        return redirect(practice)
    return render(request, "practices/stage.html", {"practice": practice, "form": form})


@require_http_methods(["GET", "POST"])
def practice_retain(request, pk):
    practice = get_practice_to_curate(request, pk)
    form = RetainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.retain_in_toolkit(request.user, practice, form.cleaned_data["section"], form.cleaned_data["note"])
        messages.success(request, _("La pratique est dans la mallette."))
        return redirect(practice)
    return render(request, "practices/retain.html", {"practice": practice, "form": form})


@require_GET
def toolkit_list(request):
    toolkits = Toolkit.objects.annotate(item_count=Count("sections__items")).select_related("curator")
    return render(request, "practices/toolkit_list.html", {"toolkits": toolkits})


@require_GET
def toolkit_detail(request, slug):
    toolkit = get_object_or_404(Toolkit.objects.select_related("curator"), slug=slug)
    sections = exports.visible_sections(toolkit, request.user)
    return render(request, "practices/toolkit_detail.html", {"toolkit": toolkit, "sections": sections})


@require_GET
def toolkit_export(request, slug, format):
    toolkit = get_object_or_404(Toolkit, slug=slug)
    sections = exports.visible_sections(toolkit, request.user)
    if format == "pdf":
        response = HttpResponse(exports.toolkit_pdf(toolkit, sections), content_type="application/pdf")
    elif format == "md":
        content = exports.toolkit_markdown(toolkit, sections)
        response = HttpResponse(content, content_type="text/markdown; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{toolkit.slug}.{format}"'
    return response
