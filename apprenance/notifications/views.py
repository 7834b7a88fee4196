from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apprenance.core.pagination import paginate
from apprenance.notifications import services
from apprenance.notifications.emails import email_settings, read_unsubscribe_token
from apprenance.notifications.forms import PreferencesForm
from apprenance.notifications.kinds import KINDS, unsubscribe_label
from apprenance.notifications.lines import group
from apprenance.notifications.models import Notification
from apprenance.people.models import Member

# The centre shows the latest notifications; older ones stay in the database and in the data export.
CENTRE_DEPTH = 500


@require_GET
def centre(request):
    notifications = Notification.objects.for_recipient(request.user)[:CENTRE_DEPTH]
    page = paginate(request, group(notifications), per_page=30)
    services.mark_gone(page.object_list)
    unread = Notification.objects.filter(recipient=request.user).unread().exists()
    return render(request, "notifications/centre.html", {"page": page, "has_unread": unread})


@require_GET
def open_notification(request, pk):
    """Mark the line read (every notification it groups) and go to what it is about."""
    notification = get_object_or_404(Notification, recipient=request.user, pk=pk)
    same_line = Notification.objects.filter(recipient=request.user, pk=notification.pk)
    if KINDS[notification.kind].grouped:
        same_line = Notification.objects.filter(
            recipient=request.user,
            kind=notification.kind,
            target_type=notification.target_type,
            target_id=notification.target_id,
        )
    services.mark_read(request.user, same_line)
    if notification.target_url and not services.target_exists(notification):
        # Deleted since (a question withdrawn by its author, say): its page would be a 404.
        messages.info(
            request,
            _("« %(label)s » n’est plus disponible : ce contenu a été supprimé depuis.")
            % {"label": notification.target_label},
        )
        return redirect("notifications:centre")
    return redirect(notification.target_url or "notifications:centre")


@require_POST
def mark_all_read(request):
    count = services.mark_read(request.user)
    if count:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("notifications:centre")


@require_GET
def unread_badge(request):
    count = Notification.objects.filter(recipient=request.user).unread().count()
    return render(request, "notifications/centre.html#badge", {"unread_count": count})


@require_http_methods(["GET", "POST"])
def preferences(request):
    member = request.user
    current_settings = email_settings(member)
    frequencies = {key: services.email_frequency(member, key) for key in KINDS}
    initial = {
        "quiet_start": current_settings.quiet_start,
        "quiet_end": current_settings.quiet_end,
        "language": current_settings.language,
    }
    form = PreferencesForm(request.POST or None, initial=initial, frequencies=frequencies)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            member,
            frequencies=form.frequencies,
            quiet_start=form.cleaned_data["quiet_start"],
            quiet_end=form.cleaned_data["quiet_end"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_not_required
@csrf_exempt  # RFC 8058: mail clients POST the one-click unsubscribe without any cookie or token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Works without signing in: the signed, expiring token names the member and the kind."""
    try:
        member_id, kind = read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return render(request, "notifications/unsubscribe.html", {"problem": "expired"}, status=400)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe.html", {"problem": "invalid"}, status=400)
    member = get_object_or_404(Member, pk=member_id)
    done = request.method == "POST"
    if done:
        services.unsubscribe(member, kind)
    return render(request, "notifications/unsubscribe.html", {"label": unsubscribe_label(kind), "done": done})
