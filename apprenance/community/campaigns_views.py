"""The pages of campaigns of themed prompts: the list, preparing a campaign and its prompts, its
course, each prompt's thread and the participation the animator follows."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apprenance.community import campaigns
from apprenance.community.access import (
    can_answer,
    can_manage_campaign,
    can_run_campaigns,
    get_campaign_for,
    get_prompt_for,
    require_campaigner,
)
from apprenance.community.forms import AnswerForm, CampaignForm, PromptForm
from apprenance.community.models import Campaign, CampaignStatus, Prompt, PromptAnswer
from apprenance.core.pagination import paginate

THREAD_PAGE_SIZE = 20


def campaign_error_message(code: str) -> str:
    """What a member reads when an action on a campaign is refused."""
    reasons = {
        "finished": _("Cette campagne est terminée : elle ne change plus et ne prend plus de réponse."),
        "launched": _("Cette campagne est déjà lancée."),
        "no_prompt": _("Ajoutez au moins un thème avant de lancer la campagne."),
        "not_running": _("Cette campagne n’est pas en cours."),
        "not_paused": _("Cette campagne n’est pas en pause."),
        "sent": _("Ce thème est déjà parti : il ne se modifie plus et ne se supprime plus."),
        "gone": _("Ce thème n’existe plus."),
        "not_sent": _("Ce thème n’est pas encore parti : on y répondra une fois envoyé."),
        "not_audience": _("Seules les personnes à qui s’adresse la campagne y répondent."),
    }
    return reasons.get(code, _("Cette action n’est pas possible."))


@require_GET
def campaign_list(request):
    visible = Campaign.objects.visible_to(request.user).with_progress().select_related("animator", "organisation")
    context = {"page": paginate(request, visible), "can_run": can_run_campaigns(request.user)}
    return render(request, "community/campaigns/list.html", context)


@require_http_methods(["GET", "POST"])
def campaign_create(request):
    require_campaigner(request)
    form = CampaignForm(request.POST or None, animator=request.user)
    if request.method == "POST" and form.is_valid():
        campaign = campaigns.create_campaign(request.user, form.campaign_data())
        messages.success(request, _("La campagne est créée. Ajoutez-lui ses thèmes, puis lancez-la."))
        return redirect(campaign.get_absolute_url())
    return render(request, "community/campaigns/form.html", {"form": form})


@require_GET
def campaign_detail(request, pk):
    campaign = get_campaign_for(request.user, pk)
    managing = can_manage_campaign(request.user, campaign)
    prompts = Prompt.objects.filter(campaign=campaign).with_participation().with_answer_of(request.user)
    if not managing:
        prompts = prompts.sent()
    page = paginate(request, prompts.order_by("position", "pk"))
    page.object_list = list(page.object_list)
    if managing and campaign.status in (CampaignStatus.DRAFT, CampaignStatus.PAUSED):
        # When each prompt would go out if the campaign were launched (or resumed) now.
        planned = campaigns.planned_slots(campaign)
        for prompt in page.object_list:
            prompt.planned_at = planned.get(prompt.pk)
    context = {
        "campaign": campaign,
        "can_manage": managing,
        "page": page,
        "teams": list(campaign.teams.order_by("name")),
        "circles": list(campaign.circles.order_by("name")),
    }
    return render(request, "community/campaigns/detail.html", context)


@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    if campaign.is_finished:
        raise PermissionDenied
    form = CampaignForm(request.POST or None, animator=request.user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.update_campaign(request.user, campaign, form.campaign_data())
        except campaigns.CampaignError as error:
            messages.error(request, campaign_error_message(error.code))
        else:
            messages.success(request, _("La campagne est modifiée."))
        return redirect(campaign.get_absolute_url())
    return render(request, "community/campaigns/form.html", {"form": form, "campaign": campaign})


@require_http_methods(["GET", "POST"])
def campaign_delete(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    if request.method == "POST":
        try:
            campaigns.delete_campaign(request.user, campaign)
        except campaigns.CampaignError as error:
            messages.error(request, campaign_error_message(error.code))
            return redirect(campaign.get_absolute_url())
        messages.success(request, _("La campagne est supprimée."))
        return redirect("community:campaigns")
    if not campaign.is_draft:
        messages.error(request, campaign_error_message("launched"))
        return redirect(campaign.get_absolute_url())
    return render(request, "community/campaigns/delete.html", {"campaign": campaign})


def _course(request, pk, change, done: str):
    """Launch, pause, resume or finish a campaign, then back to its page with what happened."""
    campaign = get_campaign_for(request.user, pk, manage=True)
    try:
        change(request.user, campaign)
    except campaigns.CampaignError as error:
        messages.error(request, campaign_error_message(error.code))
    else:
        messages.success(request, done)
    return redirect(campaign.get_absolute_url())


@require_POST
def campaign_launch(request, pk):
    done = _("La campagne est lancée : chaque thème partira à son heure, sans autre action de votre part.")
    return _course(request, pk, campaigns.launch_campaign, done)


@require_POST
def campaign_pause(request, pk):
    return _course(request, pk, campaigns.pause_campaign, _("La campagne est en pause : aucun thème ne part plus."))


@require_POST
def campaign_resume(request, pk):
    done = _("La campagne reprend : les thèmes restants partiront aux prochains créneaux.")
    return _course(request, pk, campaigns.resume_campaign, done)


@require_http_methods(["GET", "POST"])
def campaign_finish(request, pk):
    if request.method == "POST":
        done = _("La campagne est terminée. Ses fils de discussion restent consultables.")
        return _course(request, pk, campaigns.finish_campaign, done)
    campaign = get_campaign_for(request.user, pk, manage=True)
    return render(request, "community/campaigns/finish.html", {"campaign": campaign})


@require_GET
def campaign_participation(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    prompts = Prompt.objects.filter(campaign=campaign).sent().with_participation().order_by("position", "pk")
    page = paginate(request, prompts)
    page.object_list = campaigns.participation(page.object_list)
    return render(request, "community/campaigns/participation.html", {"campaign": campaign, "page": page})


@require_http_methods(["GET", "POST"])
def prompt_create(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    if campaign.is_finished:
        raise PermissionDenied
    form = PromptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.add_prompt(request.user, campaign, form.cleaned_data)
        except campaigns.CampaignError as error:
            messages.error(request, campaign_error_message(error.code))
        else:
            messages.success(request, _("Le thème est ajouté."))
        return redirect(f"{campaign.get_absolute_url()}#themes")
    return render(request, "community/campaigns/prompt_form.html", {"form": form, "campaign": campaign})


@require_http_methods(["GET", "POST"])
def prompt_edit(request, pk, prompt_pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    prompt = get_prompt_for(request.user, campaign, prompt_pk, manage=True)
    if prompt.is_sent or campaign.is_finished:
        messages.error(request, campaign_error_message("finished" if campaign.is_finished else "sent"))
        return redirect(prompt.get_absolute_url())
    initial = {name: getattr(prompt, name) for name in campaigns.PROMPT_FIELDS}
    form = PromptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.update_prompt(request.user, prompt, form.cleaned_data)
        except campaigns.CampaignError as error:
            messages.error(request, campaign_error_message(error.code))
        else:
            messages.success(request, _("Le thème est modifié."))
        return redirect(f"{campaign.get_absolute_url()}#themes")
    context = {"form": form, "campaign": campaign, "prompt": prompt}
    return render(request, "community/campaigns/prompt_form.html", context)


@require_http_methods(["GET", "POST"])
def prompt_delete(request, pk, prompt_pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    prompt = get_prompt_for(request.user, campaign, prompt_pk, manage=True)
    if request.method == "POST":
        try:
            campaigns.delete_prompt(request.user, prompt)
        except campaigns.CampaignError as error:
            messages.error(request, campaign_error_message(error.code))
            return redirect(prompt.get_absolute_url())
        messages.success(request, _("Le thème est supprimé."))
        return redirect(f"{campaign.get_absolute_url()}#themes")
    if prompt.is_sent:
        messages.error(request, campaign_error_message("sent"))
        return redirect(prompt.get_absolute_url())
    return render(request, "community/campaigns/prompt_delete.html", {"campaign": campaign, "prompt": prompt})


def _prompt_page(request, campaign: Campaign, prompt: Prompt, form: AnswerForm | None = None):
    managing = can_manage_campaign(request.user, campaign)
    answering = prompt.is_sent and can_answer(request.user, campaign)
    answers = PromptAnswer.objects.filter(prompt=prompt).select_related("author").order_by("-created_at", "-pk")
    context = {
        "campaign": campaign,
        "prompt": prompt,
        "number": Prompt.objects.filter(campaign=campaign, position__lt=prompt.position).count() + 1,
        "can_manage": managing,
        "page": paginate(request, answers, THREAD_PAGE_SIZE),
        "form": (form or AnswerForm()) if answering else None,
    }
    if managing and prompt.is_sent:
        context["participation"] = campaigns.participation(Prompt.objects.filter(pk=prompt.pk).with_participation())[0]
    return render(request, "community/campaigns/prompt.html", context)


@require_GET
def prompt_detail(request, pk, prompt_pk):
    campaign = get_campaign_for(request.user, pk)
    return _prompt_page(request, campaign, get_prompt_for(request.user, campaign, prompt_pk))


@require_POST
def prompt_answer(request, pk, prompt_pk):
    campaign = get_campaign_for(request.user, pk)
    prompt = get_prompt_for(request.user, campaign, prompt_pk)
    if not can_answer(request.user, campaign):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Votre réponse n’est pas publiée : corrigez-la ci-dessous."))
        return _prompt_page(request, campaign, prompt, form)
    try:
        answer = campaigns.answer_prompt(request.user, prompt, form.cleaned_data["body"])
    except campaigns.CampaignError as error:
        messages.error(request, campaign_error_message(error.code))
        return redirect(prompt.get_absolute_url())
    messages.success(request, _("Votre réponse est publiée. Merci !"))
    return redirect(f"{prompt.get_absolute_url()}#reponse-{answer.pk}")
