from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apprenance.notifications.kinds import KINDS, Frequency


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, member):
        """A member's notifications, newest first, with who acted."""
        return self.filter(recipient=member).select_related("actor").order_by("-created_at", "-id")

    def unread(self):
        """Not opened nor marked as read yet."""
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that happened that a member should know about, shown in their notification centre."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("destinataire")
    )
    kind = models.CharField(_("type"), max_length=60, choices=[(key, kind.label) for key, kind in KINDS.items()])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("auteur"),
    )
    target_type = models.CharField(max_length=64)
    target_id = models.PositiveBigIntegerField()
    # Kept as they were when it happened: the line still reads right if the target is renamed or deleted.
    target_label = models.CharField(max_length=200)
    target_url = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Decided when the notification is made, from the recipient's preferences at that moment.
    email_frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.OFF)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The centre and the unread count read one member's notifications, newest first.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"


class EmailPreference(models.Model):
    """A member's choice for one kind of notification; without one, the kind's default applies."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(max_length=60)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)

    class Meta:
        verbose_name = _("préférence d’e-mail")
        verbose_name_plural = _("préférences d’e-mail")
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="email_preference_once_per_kind")]

    def __str__(self):
        return f"{self.member_id} {self.kind}={self.frequency}"


class EmailSettings(models.Model):
    """When and in which language a member receives e-mails."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_settings")
    quiet_start = models.TimeField(_("début des heures calmes"), null=True, blank=True)
    quiet_end = models.TimeField(_("fin des heures calmes"), null=True, blank=True)
    language = models.CharField(_("langue des e-mails"), max_length=8, choices=settings.LANGUAGES, default="fr")

    class Meta:
        verbose_name = _("réglages d’e-mail")
        verbose_name_plural = _("réglages d’e-mail")

    def __str__(self):
        return f"{self.member_id}"
