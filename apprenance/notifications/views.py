from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apprenance.core.pagination import paginate
from apprenance.notifications import services
from apprenance.notifications.kinds import KINDS
from apprenance.notifications.models import Notification

# The centre shows the latest notifications; older ones stay in the database and in the data export.
CENTRE_DEPTH = 500


@require_GET
def centre(request):
    notifications = Notification.objects.for_recipient(request.user)[:CENTRE_DEPTH]
    page = paginate(request, services.group(notifications), per_page=30)
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
