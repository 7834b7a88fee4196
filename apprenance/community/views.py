import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apprenance.community import calendar, services, sessions
from apprenance.community.access import (
    can_form_circles,
    can_manage_circle,
    can_manage_session,
    can_plan_sessions,
    can_see_results,
    get_circle_for,
    get_session_for,
    require_former,
    require_planner,
)
from apprenance.community.formation import FormationError
from apprenance.community.forms import (
    AttendanceForm,
    ConfirmForm,
    FeedbackForm,
    FormationForm,
    PostForm,
    SessionForm,
    SwapForm,
)
from apprenance.community.models import (
    CalendarToken,
    Circle,
    CirclePost,
    CircleStatus,
    LiveSession,
    Registration,
    RegistrationStatus,
    SessionFeedback,
)
from apprenance.core.pagination import paginate
from apprenance.people.models import Member

# The proposal under review lives in the animator's session until it is confirmed or replaced.
PROPOSAL_KEY = "community:proposal"
THREAD_PAGE_SIZE = 20
PROPOSAL_PAGE_SIZE = 24


@require_GET
def circle_list(request):
    circles = Circle.objects.visible_to(request.user).with_member_count().select_related("animator", "organisation")
    context = {"page": paginate(request, circles), "can_form": can_form_circles(request.user)}
    return render(request, "community/list.html", context)


@require_GET
def circle_detail(request, pk):
    circle = get_circle_for(request, pk)
    members = Member.objects.filter(circle_memberships__circle=circle).for_directory()
    posts = (
        CirclePost.objects.filter(circle=circle, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=CirclePost.objects.select_related("author")))
        .order_by("-created_at", "-pk")
    )
    context = {
        "circle": circle,
        "members": members,
        "page": paginate(request, posts, THREAD_PAGE_SIZE),
        "form": PostForm(),
        "can_close": circle.status == CircleStatus.ACTIVE and can_manage_circle(request.user, circle),
    }
    return render(request, "community/detail.html", context)


@require_http_methods(["GET", "POST"])
def circle_close(request, pk):
    circle = get_circle_for(request, pk)
    if not can_manage_circle(request.user, circle):
        raise PermissionDenied
    if circle.status != CircleStatus.ACTIVE:
        messages.info(request, _("Ce cercle est déjà terminé."))
        return redirect(circle.get_absolute_url())
    if request.method == "POST":
        services.close_circle(request.user, circle)
        messages.success(request, _("Le cercle est terminé : son fil reste lisible par ses membres."))
        return redirect(circle.get_absolute_url())
    return render(request, "community/close.html", {"circle": circle})


@require_POST
def circle_post(request, pk):
    circle = get_circle_for(request, pk, write=True)
    form = PostForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = get_object_or_404(CirclePost, circle=circle, pk=form.cleaned_data["parent"])
        post = services.post_to_circle(request.user, circle, form.cleaned_data["body"], parent)
        messages.success(request, _("Message publié."))
        return redirect(f"{circle.get_absolute_url()}#message-{post.pk}")
    messages.error(request, _("Le message est vide : rien n’a été publié."))
    return redirect(f"{circle.get_absolute_url()}#fil")


@require_http_methods(["GET", "POST"])
def form_circles(request):
    require_former(request)
    form = FormationForm(request.POST or None, animator=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.propose_circles(
                request.user, form.population_filters(), form.cleaned_data["size"], form.constraints()
            )
        except FormationError as error:
            form.add_error(None, formation_message(error))
        else:
            request.session[PROPOSAL_KEY] = proposal.as_dict()
            return redirect("community:proposal")
    return render(request, "community/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def proposal(request):
    """The proposed circles with their scores; a POST swaps two people (the htmx request gets the
    proposal section back)."""
    require_former(request)
    current = _proposal_in_session(request)
    if current is None:
        return redirect("community:form")
    names = _names(current)
    form = SwapForm(request.POST or None, proposal=current, names=names)
    swapped = request.method == "POST" and form.is_valid()
    if swapped:
        current = services.swap_members(current, form.cleaned_data["first"], form.cleaned_data["second"])
        request.session[PROPOSAL_KEY] = current.as_dict()
        if not request.htmx:
            messages.success(request, _("Les deux personnes ont changé de cercle."))
            return redirect(f"{reverse('community:proposal')}?{urlencode({'page': request.GET.get('page', 1)})}")
        form = SwapForm(proposal=current, names=names)
    page = paginate(request, list(range(len(current.circles))), PROPOSAL_PAGE_SIZE)
    context = {
        "proposal": current,
        "page": page,
        "circles": _circles(current, page.object_list),
        "form": form,
        "swapped": swapped,
    }
    if request.htmx and request.method == "POST":
        return render(request, "community/proposal.html#proposal", context)
    return render(request, "community/proposal.html", context)


@require_http_methods(["GET", "POST"])
def confirm(request):
    require_former(request)
    current = _proposal_in_session(request)
    if current is None:
        return redirect("community:form")
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            circles = services.confirm_circles(request.user, current, **form.cleaned_data)
        except services.ProposalError:
            del request.session[PROPOSAL_KEY]
            messages.error(
                request, _("Des personnes de la proposition ne sont plus actives : formez les cercles à nouveau.")
            )
            return redirect("community:form")
        del request.session[PROPOSAL_KEY]
        done = ngettext(
            "%(count)s cercle est formé ; ses membres en sont prévenus.",
            "%(count)s cercles sont formés ; leurs membres en sont prévenus.",
            len(circles),
        )
        messages.success(request, done % {"count": len(circles)})
        return redirect("community:circles")
    return render(request, "community/confirm.html", {"form": form, "proposal": current})


def formation_message(error: FormationError) -> str:
    """What the animator reads when the circles cannot be formed."""
    reasons = {
        "too_few": _("il n’y a pas assez de personnes pour des cercles de cette taille (4 au moins)"),
        "outside": _("une personne à séparer ou à réunir ne fait pas partie de la population choisie"),
        "excluded_together": _("une personne à réunir avec une autre est aussi laissée de côté"),
        "contradiction": _("deux personnes sont à la fois à séparer et à réunir"),
        "group_too_large": _("trop de personnes sont à réunir dans un même cercle"),
        "apart_impossible": _("aucune répartition ne sépare toutes les paires demandées"),
    }
    reason = reasons.get(error.code, _("les contraintes ne peuvent pas être toutes respectées"))
    return _("Impossible de former ces cercles : %(reason)s.") % {"reason": reason}


def _proposal_in_session(request) -> services.Proposal | None:
    data = request.session.get(PROPOSAL_KEY)
    return services.Proposal.from_dict(data) if data else None


def _names(proposal: services.Proposal) -> dict[int, str]:
    return {
        pk: f"{first} {last}".strip()
        for pk, first, last in Member.objects.filter(pk__in=proposal.member_ids).values_list(
            "pk", "first_name", "last_name"
        )
    }


def _circles(proposal: services.Proposal, indexes: list[int]) -> list[dict]:
    """These proposed circles with their scores and their members (name, organisation, teams)."""
    ids = [pk for index in indexes for pk in proposal.circles[index]]
    members = Member.objects.filter(pk__in=ids).for_directory().in_bulk()
    return [
        {
            "number": index + 1,
            "score": proposal.scores[index],
            "members": [members[pk] for pk in proposal.circles[index] if pk in members],
        }
        for index in indexes
    ]


def session_error_message(code: str) -> str:
    """What a member reads when a registration, attendance or feedback is refused."""
    reasons = {
        "cancelled": _("Ce temps synchrone est annulé."),
        "started": _("Ce temps synchrone a déjà commencé : les inscriptions sont closes."),
        "coach": _("Vous animez ce temps synchrone : inutile de vous y inscrire."),
        "already": _("Vous êtes déjà inscrit·e à ce temps synchrone."),
        "not_registered": _("Vous n’êtes pas inscrit·e à ce temps synchrone."),
        "over": _("Ce temps synchrone est terminé."),
        "not_started": _("Les présences se notent une fois le temps synchrone commencé."),
        "not_attended": _("Seules les personnes présentes donnent leur avis."),
        "not_over": _("Vous pourrez donner votre avis une fois le temps synchrone terminé."),
    }
    return reasons.get(code, _("Cette action n’est pas possible."))


@require_GET
def session_list(request):
    past = request.GET.get("quand") == "passes"
    sessions = (
        LiveSession.objects.visible_to(request.user)
        .with_seats()
        .with_registration_of(request.user)
        .select_related("coach", "organisation")
    )
    sessions = sessions.past() if past else sessions.upcoming()
    context = {"page": paginate(request, sessions), "past": past, "can_plan": can_plan_sessions(request.user)}
    return render(request, "community/sessions/list.html", context)


def _session_context(request, session: LiveSession) -> dict:
    """Everything the session page shows the member: their registration, the coach's and the managers' tools."""
    member = request.user
    registration = Registration.objects.filter(session=session, member=member).first()
    is_coach = session.coach_id == member.pk
    context = {
        "session": session,
        "registration": registration,
        "seats_left": max(session.capacity - session.confirmed_count, 0),
        "can_manage": can_manage_session(member, session),
        "is_coach": is_coach,
        "can_register": not session.is_cancelled and session.starts_at > timezone.now() and not is_coach,
    }
    if can_see_results(member, session):
        context["registrants"] = list(
            Registration.objects.filter(
                session=session, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]
            )
            .select_related("member")
            .order_by("status", "position", "created_at", "pk")
        )
        context["results"] = sessions.results(session)
    if is_coach and not session.is_cancelled and session.starts_at <= timezone.now():
        confirmed = [r for r in context["registrants"] if r.status == RegistrationStatus.CONFIRMED]
        context["attendance_form"] = AttendanceForm(registrations=confirmed)
    if registration is not None and registration.attended and session.is_over:
        given = SessionFeedback.objects.filter(registration=registration).first()
        initial = {"rating": given.rating, "comment": given.comment} if given else None
        context["feedback_form"] = FeedbackForm(initial=initial)
        context["feedback_given"] = given
    return context


def _seated(member, pk: int) -> LiveSession:
    return get_object_or_404(LiveSession.objects.visible_to(member).with_seats().select_related("coach"), pk=pk)


@require_GET
def session_detail(request, pk):
    get_session_for(request.user, pk)
    return render(request, "community/sessions/detail.html", _session_context(request, _seated(request.user, pk)))


@require_POST
def session_register(request, pk):
    session = get_session_for(request.user, pk)
    try:
        registration = sessions.register(request.user, session)
    except sessions.SessionError as error:
        messages.error(request, session_error_message(error.code))
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("Vous êtes inscrit·e. À bientôt !"))
        else:
            messages.success(
                request,
                _(
                    "Plus de place : vous êtes n° %(position)s sur la liste d’attente. "
                    "Vous serez prévenu·e si une place se libère."
                )
                % {"position": registration.position},
            )
    if request.htmx and not request.htmx.boosted:
        context = {**_session_context(request, _seated(request.user, pk)), "partial": True}
        return render(request, "community/sessions/detail.html#registration", context)
    return redirect(session.get_absolute_url())


@require_http_methods(["GET", "POST"])
def session_unregister(request, pk):
    session = get_session_for(request.user, pk)
    if request.method == "POST":
        try:
            sessions.cancel_registration(request.user, session)
        except sessions.SessionError as error:
            messages.error(request, session_error_message(error.code))
        else:
            messages.success(request, _("Votre inscription est annulée."))
        return redirect(session.get_absolute_url())
    return render(request, "community/sessions/unregister.html", {"session": session})


@require_http_methods(["GET", "POST"])
def session_create(request):
    require_planner(request)
    form = SessionForm(request.POST or None, planner=request.user)
    if request.method == "POST" and form.is_valid():
        session = sessions.create_session(request.user, form.session_data())
        messages.success(request, _("Le temps synchrone est programmé."))
        return redirect(session.get_absolute_url())
    return render(request, "community/sessions/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = get_session_for(request.user, pk, manage=True)
    if session.is_cancelled:
        raise PermissionDenied
    confirmed = Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED).count()
    form = SessionForm(request.POST or None, planner=request.user, session=session, confirmed=confirmed)
    if request.method == "POST" and form.is_valid():
        sessions.update_session(request.user, session, form.session_data())
        messages.success(
            request,
            _(
                "Le temps synchrone est modifié ; les personnes inscrites sont prévenues "
                "d’un changement d’horaire ou de lieu."
            ),
        )
        return redirect(session.get_absolute_url())
    return render(request, "community/sessions/form.html", {"form": form, "session": session})


@require_http_methods(["GET", "POST"])
def session_cancel(request, pk):
    session = get_session_for(request.user, pk, manage=True)
    if request.method == "POST":
        sessions.cancel_session(request.user, session)
        messages.success(request, _("Le temps synchrone est annulé ; les personnes inscrites sont prévenues."))
        return redirect(session.get_absolute_url())
    return render(request, "community/sessions/cancel.html", {"session": session})


@require_POST
def session_attendance(request, pk):
    session = get_session_for(request.user, pk, coach=True)
    confirmed = Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED).select_related(
        "member"
    )
    form = AttendanceForm(request.POST, registrations=list(confirmed))
    if not form.is_valid():
        messages.error(request, _("Cochez seulement des personnes inscrites."))
        return redirect(f"{session.get_absolute_url()}#presences")
    try:
        count = sessions.mark_attendance(request.user, session, set(form.cleaned_data["present"]))
    except sessions.SessionError as error:
        messages.error(request, session_error_message(error.code))
    else:
        done = ngettext("%(count)s présence notée.", "%(count)s présences notées.", count)
        messages.success(request, done % {"count": count})
    return redirect(f"{session.get_absolute_url()}#presences")


@require_POST
def session_feedback(request, pk):
    session = get_session_for(request.user, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            sessions.leave_feedback(request.user, session, form.cleaned_data["rating"], form.cleaned_data["comment"])
        except sessions.SessionError as error:
            messages.error(request, session_error_message(error.code))
        else:
            messages.success(request, _("Merci pour votre avis !"))
        return redirect(f"{session.get_absolute_url()}#avis")
    context = _session_context(request, _seated(request.user, pk))
    if "feedback_form" not in context:
        messages.error(request, session_error_message("not_attended"))
        return redirect(session.get_absolute_url())
    context["feedback_form"] = form
    return render(request, "community/sessions/detail.html", context)


@require_GET
def session_ics(request, pk):
    session = get_session_for(request.user, pk)
    response = HttpResponse(calendar.session_calendar(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="temps-synchrone-{session.pk}.ics"'
    return response


def feed_url(token: CalendarToken) -> str:
    return settings.SITE_URL + reverse("community:feed", args=[token.member_id, token.token])


@require_http_methods(["GET", "POST"])
def my_calendar(request):
    if request.method == "POST":
        sessions.regenerate_calendar_token(request.user)
        messages.success(
            request, _("Nouveau lien créé : l’ancien ne fonctionne plus. Abonnez votre agenda au nouveau.")
        )
        return redirect("community:my_calendar")
    url = feed_url(sessions.calendar_token(request.user))
    mine = (
        LiveSession.objects.visible_to(request.user)
        .filter(
            registrations__member=request.user,
            registrations__status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
        )
        .with_registration_of(request.user)
        .select_related("coach", "organisation")
        .upcoming()
    )
    context = {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1], "page": paginate(request, mine)}
    return render(request, "community/sessions/my_calendar.html", context)


@login_not_required
@require_GET
def member_feed(request, member_id, token):
    """The personal feed, for calendar apps that poll it without signing in: the secret is the key."""
    stored = CalendarToken.objects.filter(member_id=member_id, member__is_active=True).select_related("member").first()
    if stored is None or not secrets.compare_digest(stored.token.encode(), token.encode()):
        raise Http404
    response = HttpResponse(calendar.member_feed(stored.member), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
