from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apprenance.practices.models import Practice
from apprenance.questions import finding, services
from apprenance.questions.access import (
    can_accept,
    can_change_answer,
    can_change_question,
    can_see_experts,
    can_see_measures,
    can_turn_into_practice,
    get_answer_for,
    get_question_for,
)
from apprenance.questions.forms import (
    AnswerForm,
    AvailabilityForm,
    CommentForm,
    QuestionFilterForm,
    QuestionForm,
    SearchForm,
)
from apprenance.questions.measures import answer_times
from apprenance.questions.models import Answer, AnswerComment, AnswerVote, ExpertSettings, QuestionFollow
from apprenance.questions.routing import reason_text


@require_GET
def question_list(request):
    form = QuestionFilterForm(request.GET or None)
    form.is_valid()  # invalid filters are dropped and reported on the page
    results = finding.find(request.user, form, request.GET.get("page"), settings.PAGE_SIZE)
    context = {"form": form, "results": results, "page": results.page}
    if request.htmx and not request.htmx.boosted:
        return render(request, "questions/list.html#results", context)
    context["measures"] = answer_times() if can_see_measures(request.user) else None
    return render(request, "questions/list.html", context)


@require_GET
def search(request):
    """Practices and questions in one ranked list, with a filter on the type."""
    form = SearchForm(request.GET or None)
    form.is_valid()  # an unknown type or a too long query is reported on the page
    results = finding.search_everything(request.user, form, request.GET.get("page"), settings.PAGE_SIZE)
    context = {"form": form, "results": results, "page": results.page}
    if request.htmx and not request.htmx.boosted:
        return render(request, "questions/search.html#results", context)
    return render(request, "questions/search.html", context)


@require_http_methods(["GET", "POST"])
def question_ask(request):
    if request.user.organisation_id is None:
        raise PermissionDenied
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        question = services.ask_question(request.user, form.question_data())
        messages.success(request, _("Votre question est posée : les personnes qui peuvent vous aider sont prévenues."))
        return redirect(question)
    return render(request, "questions/ask.html", {"form": form})


@require_GET
def question_suggestions(request):
    """While the title is typed: what may already answer it (an htmx partial)."""
    practices, questions = finding.suggestions_for(request.user, request.GET.get("title", "")[:200])
    return render(request, "questions/ask.html#suggestions", {"practices": practices, "questions": questions})


@require_GET
def question_detail(request, pk):
    question = get_question_for(request, pk)
    member = request.user
    answers = list(
        Answer.objects.filter(question=question)
        .select_related("author__organisation", "practice")
        .prefetch_related(Prefetch("comments", queryset=AnswerComment.objects.select_related("author")))
        .order_by("-is_accepted", "-useful_count", "created_at", "pk")
    )
    for answer in answers:
        answer.question = question
        answer.can_change = can_change_answer(member, answer)
    solicitation = question.solicitations.filter(expert=member).first()
    experts = []
    if can_see_experts(member, question):
        for suggestion in question.solicitations.select_related("expert__organisation"):
            suggestion.reason_lines = [reason_text(reason) for reason in suggestion.reasons]
            experts.append(suggestion)
    context = {
        "question": question,
        "tags": question.tags.all(),
        "skills": question.skills.all(),
        "answers": answers,
        "my_votes": set(
            AnswerVote.objects.filter(answer__question=question, member=member).values_list("answer_id", flat=True)
        ),
        "following": QuestionFollow.objects.filter(question=question, member=member).exists(),
        "can_accept": can_accept(member, question),
        "can_change": can_change_question(member, question),
        "can_turn_into_practice": can_turn_into_practice(member, question),
        "experts": experts,
        "show_experts": can_see_experts(member, question),
        "solicitation": solicitation,
        "answer_form": AnswerForm(),
        "comment_form": CommentForm(),
    }
    return render(request, "questions/detail.html", context)


@require_POST
def question_answer(request, pk):
    question = get_question_for(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La réponse est vide : rien n’a été publié."))
        return redirect(f"{question.get_absolute_url()}#repondre")
    answer = services.answer_question(request.user, question, form.cleaned_data["body"])
    messages.success(request, _("Merci, votre réponse est publiée."))
    return redirect(f"{question.get_absolute_url()}#reponse-{answer.pk}")


@require_http_methods(["GET", "POST"])
def question_edit(request, pk):
    question = get_question_for(request, pk, write=True)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        question = services.edit_question(request.user, question, form.question_data())
        messages.success(request, _("Modifications enregistrées."))
        return redirect(question)
    return render(request, "questions/question_form.html", {"form": form, "question": question})


@require_http_methods(["GET", "POST"])
def question_delete(request, pk):
    """Deleting asks for confirmation on its own page, saying what goes with the question."""
    question = get_question_for(request, pk, write=True)
    if request.method == "POST":
        services.delete_question(request.user, question)
        messages.success(request, _("La question et ses réponses sont supprimées."))
        return redirect("questions:list")
    context = {
        "question": question,
        "comment_count": AnswerComment.objects.filter(answer__question=question).count(),
        "practices": Practice.objects.filter(source_answer__question=question).only("title"),
    }
    return render(request, "questions/question_confirm_delete.html", context)


@require_POST
def question_route(request, pk):
    """The asker or an animator asks the routing for a question nobody was solicited about yet."""
    question = get_question_for(request, pk)
    if not can_see_experts(request.user, question):
        raise PermissionDenied
    solicitations = services.route_question(request.user, question)
    if solicitations is None:
        messages.info(request, _("Des personnes ont déjà été sollicitées pour cette question."))
    elif solicitations:
        messages.success(
            request,
            ngettext(
                "Une personne qui peut aider a été trouvée ; elle est prévenue si elle est disponible.",
                "%(count)s personnes qui peuvent aider ont été trouvées ; les premières disponibles sont prévenues.",
                len(solicitations),
            )
            % {"count": len(solicitations)},
        )
    else:
        messages.info(
            request, _("Personne n’a encore écrit sur ce sujet dans le réseau : la question reste visible de tous.")
        )
    return redirect(f"{question.get_absolute_url()}#experts")


@require_http_methods(["GET", "POST"])
def answer_edit(request, pk, answer_pk):
    question = get_question_for(request, pk)
    answer = get_answer_for(request, question, answer_pk, write=True)
    form = AnswerForm(request.POST or None, initial={"body": answer.body})
    if request.method == "POST" and form.is_valid():
        services.edit_answer(request.user, answer, form.cleaned_data["body"])
        messages.success(request, _("Modifications enregistrées."))
        return redirect(answer.get_absolute_url())
    return render(request, "questions/answer_form.html", {"form": form, "question": question, "answer": answer})


@require_http_methods(["GET", "POST"])
def answer_delete(request, pk, answer_pk):
    """Deleting asks for confirmation on its own page, saying what goes with the answer."""
    question = get_question_for(request, pk)
    answer = get_answer_for(request, question, answer_pk, write=True)
    if request.method == "POST":
        services.delete_answer(request.user, answer)
        messages.success(request, _("La réponse est supprimée."))
        return redirect(question)
    return render(request, "questions/answer_confirm_delete.html", {"question": question, "answer": answer})


@require_POST
def answer_vote(request, pk, answer_pk):
    question = get_question_for(request, pk)
    answer = get_answer_for(request, question, answer_pk)
    if answer.author_id == request.user.pk:
        raise PermissionDenied
    services.toggle_vote(request.user, answer)
    if request.htmx:
        answer.refresh_from_db(fields=["useful_count"])
        voted = AnswerVote.objects.filter(answer=answer, member=request.user).exists()
        context = {"answer": answer, "question": question, "my_votes": {answer.pk} if voted else set()}
        return render(request, "questions/detail.html#vote", context)
    return redirect(f"{question.get_absolute_url()}#reponse-{answer.pk}")


@require_POST
def answer_accept(request, pk, answer_pk):
    question = get_question_for(request, pk)
    if not can_accept(request.user, question):
        raise PermissionDenied
    services.accept_answer(request.user, get_answer_for(request, question, answer_pk))
    messages.success(request, _("Réponse retenue : son auteur en est prévenu."))
    return redirect(question)


@require_POST
def answer_comment(request, pk, answer_pk):
    question = get_question_for(request, pk)
    answer = get_answer_for(request, question, answer_pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_answer(request.user, answer, form.cleaned_data["body"])
        messages.success(request, _("Commentaire publié."))
    else:
        messages.error(request, _("Le commentaire est vide : rien n’a été publié."))
    return redirect(f"{question.get_absolute_url()}#reponse-{answer.pk}")


@require_http_methods(["GET", "POST"])
def answer_to_practice(request, pk, answer_pk):
    """Capitalising asks for confirmation on its own page."""
    question = get_question_for(request, pk)
    answer = get_answer_for(request, question, answer_pk)
    if not can_turn_into_practice(request.user, question) or not answer.is_accepted:
        raise PermissionDenied
    if answer.practice_id is not None:
        return redirect(answer.practice)
    if request.method == "POST":
        practice = services.turn_into_practice(request.user, answer)
        messages.success(request, _("La réponse est devenue une pratique, au nom de son auteur."))
        return redirect(practice)
    return render(request, "questions/to_practice.html", {"question": question, "answer": answer})


@require_POST
def question_follow(request, pk):
    question = get_question_for(request, pk)
    following = services.toggle_follow(request.user, question)
    messages.success(
        request,
        _("Vous serez prévenu·e des nouvelles réponses.") if following else _("Vous ne suivez plus cette question."),
    )
    return redirect(question)


@require_POST
def question_decline(request, pk):
    question = get_question_for(request, pk)
    if services.decline(request.user, question):
        messages.success(request, _("C’est noté : on vous sollicitera moins sur ce type de question."))
    return redirect(question)


@require_http_methods(["GET", "POST"])
def availability(request):
    paused = ExpertSettings.objects.filter(member=request.user, paused=True).exists()
    form = AvailabilityForm(request.POST if request.method == "POST" else None, initial={"paused": paused})
    if request.method == "POST" and form.is_valid():
        services.set_paused(request.user, form.cleaned_data["paused"])
        messages.success(
            request,
            _("Vos sollicitations sont en pause.")
            if form.cleaned_data["paused"]
            else _("Vous pouvez de nouveau être sollicité·e."),
        )
        return redirect("questions:availability")
    return render(request, "questions/availability.html", {"form": form})
