import secrets
import uuid
from datetime import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apprenance.people.models import Role

# Who sees every circle of their organisation, besides its members and its animator.
ORGANISATION_ANIMATORS = (Role.ANIMATOR, Role.ORG_ADMIN)


class CircleStatus(models.TextChoices):
    ACTIVE = "active", _("En cours")
    CLOSED = "closed", _("Terminé")


class CircleQuerySet(models.QuerySet):
    def visible_to(self, member):
        """Circles whose space the member may enter: theirs (as a member or as the animator), every
        circle of their organisation for its animators and admins, every circle for network admins."""
        if member.is_network_admin:
            return self
        mine = Exists(CircleMembership.objects.filter(circle=OuterRef("pk"), member_id=member.pk))
        allowed = mine | Q(animator_id=member.pk)
        if member.role in ORGANISATION_ANIMATORS and member.organisation_id:
            allowed |= Q(organisation_id=member.organisation_id)
        return self.filter(allowed)

    def with_member_count(self):
        """Each circle with ``member_count``, counted in a subquery so that filters never multiply rows."""
        counts = (
            CircleMembership.objects.filter(circle=OuterRef("pk"))
            .order_by()
            .values("circle")
            .annotate(total=models.Count("pk"))
            .values("total")
        )
        return self.annotate(
            member_count=Coalesce(models.Subquery(counts, output_field=models.IntegerField()), models.Value(0))
        )


class Circle(models.Model):
    """A small group of peers (4 to 8) with a purpose, a private thread, an animator, a start and an end."""

    # Empty for a circle of the whole network (its members come from several organisations).
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="circles",
    )
    name = models.CharField(_("nom"), max_length=160)
    purpose = models.TextField(_("raison d’être"), blank=True)
    animator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("animateur·rice"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="animated_circles",
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=CircleStatus.choices, default=CircleStatus.ACTIVE)
    # The diversity of its members when it was formed, in [0, 1] (apprenance.community.formation).
    diversity = models.FloatField(_("diversité"), default=0)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    objects = CircleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cercle")
        verbose_name_plural = _("cercles")
        ordering = ["-starts_on", "name", "pk"]
        indexes = [
            # An organisation's circles for its animators, newest first.
            models.Index(fields=["organisation", "starts_on"], name="circle_org_start"),
            # The circles an animator runs.
            models.Index(fields=["animator", "starts_on"], name="circle_animator_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="circle_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:circle", args=[self.pk])


class CircleMembership(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships")
    joined_at = models.DateTimeField(_("depuis le"), default=timezone.now)

    class Meta:
        verbose_name = _("membre d’un cercle")
        verbose_name_plural = _("membres des cercles")
        constraints = [
            models.UniqueConstraint(fields=["circle", "member"], name="circle_membership_once"),
        ]
        indexes = [
            # "Mes cercles", and the pairs who already met when circles are formed.
            models.Index(fields=["member", "circle"], name="circle_membership_member"),
        ]

    def __str__(self):
        return f"{self.member_id} ∈ {self.circle_id}"


class CirclePost(models.Model):
    """A message in a circle's thread, or a reply to one (threads are one level deep)."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message de cercle")
        verbose_name_plural = _("messages de cercle")
        ordering = ["created_at", "pk"]
        indexes = [
            # The thread: a circle's top-level messages, newest first.
            models.Index(fields=["circle", "parent", "created_at"], name="circle_post_thread"),
        ]

    def __str__(self):
        return self.body[:60]


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Prévu")
    CANCELLED = "cancelled", _("Annulé")


class LiveSessionQuerySet(models.QuerySet):
    def visible_to(self, member):
        """Sessions the member may see: the network's, their organisation's, the ones they coach; all of
        them for network admins."""
        if member.is_network_admin:
            return self
        allowed = Q(organisation__isnull=True) | Q(coach_id=member.pk)
        if member.organisation_id:
            allowed |= Q(organisation_id=member.organisation_id)
        return self.filter(allowed)

    def upcoming(self):
        """Sessions not over yet, soonest first."""
        return self.filter(ends_at__gt=timezone.now()).order_by("starts_at", "pk")

    def past(self):
        """Sessions over, latest first."""
        return self.filter(ends_at__lte=timezone.now()).order_by("-starts_at", "-pk")

    def with_registration_of(self, member):
        """Each session with ``my_status``: the member's registration status, or None."""
        mine = Registration.objects.filter(session=OuterRef("pk"), member_id=member.pk).values("status")[:1]
        return self.annotate(my_status=models.Subquery(mine, output_field=models.CharField()))

    def with_seats(self):
        """Each session with ``confirmed_count`` and ``waiting_count``, counted in subqueries."""

        def count(status):
            counts = (
                Registration.objects.filter(session=OuterRef("pk"), status=status)
                .order_by()
                .values("session")
                .annotate(total=models.Count("pk"))
                .values("total")
            )
            return Coalesce(models.Subquery(counts, output_field=models.IntegerField()), models.Value(0))

        return self.annotate(
            confirmed_count=count(RegistrationStatus.CONFIRMED), waiting_count=count(RegistrationStatus.WAITING)
        )


class LiveSession(models.Model):
    """A live coached session (« temps synchrone »), online or in a place, with registration."""

    # A stable identifier for calendars: the iCalendar UID never changes, whatever is edited.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Empty for a session open to the whole network.
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="live_sessions",
    )
    title = models.CharField(_("titre"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="coached_sessions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="created_sessions"
    )
    online_url = models.URLField(_("lien de connexion"), max_length=500, blank=True)
    place_name = models.CharField(_("lieu"), max_length=160, blank=True)
    address = models.TextField(_("adresse"), blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    # The IANA zone the session was planned in: its calendar events keep their wall-clock time there.
    time_zone = models.CharField(_("fuseau horaire"), max_length=64, default="Europe/Paris")
    capacity = models.PositiveIntegerField(_("nombre de places"))
    status = models.CharField(
        _("statut"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    # Bumped whenever calendars must replace their copy (time, place, status): RFC 5545 SEQUENCE.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = LiveSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("temps synchrone")
        verbose_name_plural = _("temps synchrones")
        ordering = ["starts_at", "pk"]
        indexes = [
            # The upcoming and past lists of an organisation (and of the network, organisation empty).
            models.Index(fields=["organisation", "ends_at"], name="session_org_end"),
            # The reminders job: sessions starting within the next day.
            models.Index(fields=["status", "starts_at"], name="session_status_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_has_seats"),
            models.CheckConstraint(
                condition=(Q(online_url="") & ~Q(address="")) | (~Q(online_url="") & Q(address="")),
                name="session_online_or_in_a_place",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:session", args=[self.pk])

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_over(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def location(self) -> str:
        """Where it happens, on one line: the place and its address."""
        address = ", ".join(line.strip() for line in self.address.splitlines() if line.strip())
        return ", ".join(part for part in (self.place_name, address) if part)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscrit·e")
    WAITING = "waiting", _("En liste d’attente")
    CANCELLED = "cancelled", _("Désinscrit·e")


class Registration(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("statut"), max_length=10, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(_("inscrit·e le"), default=timezone.now)
    # Rank on the waiting list (smallest first); empty once confirmed or cancelled.
    position = models.PositiveIntegerField(null=True, blank=True)
    # Marked by the coach after the session: None until then.
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="registration_once"),
        ]
        indexes = [
            # Seats taken and the head of the waiting list of a session.
            models.Index(fields=["session", "status", "position"], name="registration_session_status"),
            # "Mon agenda": a member's sessions.
            models.Index(fields=["member", "status"], name="registration_member_status"),
        ]

    def __str__(self):
        return f"{self.member_id} → {self.session_id} ({self.status})"


class SessionFeedback(models.Model):
    """What an attendee thought of a session, once it is over."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("note"))
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("avis sur un temps synchrone")
        verbose_name_plural = _("avis sur les temps synchrones")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.rating}/5"


class CalendarToken(models.Model):
    """The secret in a member's personal calendar feed URL; calendar apps poll it without signing in.
    Kept in clear because the member is shown the URL again; regenerating it cuts off old copies."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lien d’agenda")
        verbose_name_plural = _("liens d’agenda")

    def __str__(self):
        return f"{self.member_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class ChallengeMetric(models.TextChoices):
    """What a team challenge counts (apprenance.community.challenges says which event each one reads)."""

    PRACTICES_SHARED = "practices_shared", _("Pratiques partagées")
    ANSWERS_GIVEN = "answers_given", _("Réponses données")
    ADOPTIONS = "adoptions", _("Pratiques adoptées")
    SESSION_ATTENDANCE = "session_attendance", _("Présences aux temps synchrones")


class ChallengeStatus(models.TextChoices):
    UPCOMING = "upcoming", _("À venir")
    RUNNING = "running", _("En cours")
    FINISHED = "finished", _("Terminé")


class TeamChallengeQuerySet(models.QuerySet):
    def visible_to(self, member):
        """Challenges the member may see: the network's and their organisation's; all for network admins."""
        if member.is_network_admin:
            return self
        allowed = Q(organisation__isnull=True)
        if member.organisation_id:
            allowed |= Q(organisation_id=member.organisation_id)
        return self.filter(allowed)

    def running(self, today=None):
        """Challenges under way today, ending soonest first."""
        today = today or timezone.localdate()
        return self.filter(starts_on__lte=today, ends_on__gte=today).order_by("ends_on", "title", "pk")

    def upcoming(self, today=None):
        """Challenges not started yet, starting soonest first."""
        today = today or timezone.localdate()
        return self.filter(starts_on__gt=today).order_by("starts_on", "title", "pk")

    def finished(self, today=None):
        """Challenges over, latest first."""
        today = today or timezone.localdate()
        return self.filter(ends_on__lt=today).order_by("-ends_on", "title", "pk")

    def in_status(self, status: str, today=None):
        """The running, upcoming or finished ones (a ``ChallengeStatus``), in that list's order."""
        lists = {ChallengeStatus.RUNNING: self.running, ChallengeStatus.UPCOMING: self.upcoming}
        return lists.get(status, self.finished)(today)


class TeamChallenge(models.Model):
    """A light game between teams over a period: their points come from the activity log, never by hand."""

    # Empty for a challenge between the teams of the whole network.
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="team_challenges",
    )
    title = models.CharField(_("titre"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    metric = models.CharField(_("ce qui compte"), max_length=24, choices=ChallengeMetric.choices)
    # Whole days in the platform's time zone, both included.
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="created_team_challenges"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TeamChallengeQuerySet.as_manager()

    class Meta:
        verbose_name = _("défi d’équipes")
        verbose_name_plural = _("défis d’équipes")
        ordering = ["-starts_on", "title", "pk"]
        indexes = [
            # The running, upcoming and finished lists of an organisation (and of the network, organisation empty).
            models.Index(fields=["organisation", "ends_on", "starts_on"], name="challenge_org_period"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="challenge_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:challenge", args=[self.pk])

    def status_on(self, today) -> str:
        if today < self.starts_on:
            return ChallengeStatus.UPCOMING
        if today > self.ends_on:
            return ChallengeStatus.FINISHED
        return ChallengeStatus.RUNNING

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return ChallengeStatus(self.status).label


def default_time_zone() -> str:
    return settings.TIME_ZONE


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class AudienceKind(models.TextChoices):
    NETWORK = "network", _("Tout le réseau")
    ORGANISATION = "organisation", _("Une organisation")
    TEAMS = "teams", _("Des équipes")
    CIRCLES = "circles", _("Des cercles")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    RUNNING = "running", _("En cours")
    PAUSED = "paused", _("En pause")
    FINISHED = "finished", _("Terminée")


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, member):
        """Campaigns the member may open: the ones they animate or manage (every campaign of their
        organisation for its animators and admins, all of them for network admins), and, once launched,
        the ones whose audience they belong to or from which they received a theme."""
        if member.is_network_admin:
            return self
        allowed = Q(animator_id=member.pk)
        if member.role in ORGANISATION_ANIMATORS and member.organisation_id:
            allowed |= Q(organisation_id=member.organisation_id)
        return self.filter(allowed | (~Q(status=CampaignStatus.DRAFT) & self.audience_includes(member)))

    @staticmethod
    def audience_includes(member) -> Q:
        """The campaigns whose audience holds the member now, or that already sent them a theme."""
        received = Exists(PromptRecipient.objects.filter(prompt__campaign=OuterRef("pk"), member_id=member.pk))
        in_teams = Exists(
            Campaign.teams.through.objects.filter(campaign=OuterRef("pk"), team__memberships__member_id=member.pk)
        )
        in_circles = Exists(
            Campaign.circles.through.objects.filter(campaign=OuterRef("pk"), circle__memberships__member_id=member.pk)
        )
        audience = (
            (Q(audience=AudienceKind.TEAMS) & in_teams) | (Q(audience=AudienceKind.CIRCLES) & in_circles) | received
        )
        if member.organisation_id:
            audience |= Q(audience=AudienceKind.NETWORK)
            audience |= Q(audience=AudienceKind.ORGANISATION, organisation_id=member.organisation_id)
        return audience

    def with_progress(self):
        """Each campaign with ``prompt_count``, ``sent_count`` and ``next_send_at`` (the next theme
        planned), counted in subqueries so that filters never multiply rows."""
        prompts = Prompt.objects.filter(campaign=OuterRef("pk")).order_by().values("campaign")

        def count(queryset):
            total = queryset.annotate(total=models.Count("pk")).values("total")
            return Coalesce(models.Subquery(total, output_field=models.IntegerField()), models.Value(0))

        upcoming = prompts.filter(sent_at__isnull=True).annotate(first=models.Min("send_at")).values("first")
        return self.annotate(
            prompt_count=count(prompts),
            sent_count=count(prompts.filter(sent_at__isnull=False)),
            next_send_at=models.Subquery(upcoming, output_field=models.DateTimeField()),
        )


class Campaign(models.Model):
    """A sequence of themed prompts sent on a weekly schedule to an audience, who answer in each
    prompt's thread (« campagne de thèmes »)."""

    # Empty for a campaign of the whole network, or of circles from several organisations.
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="campaigns",
    )
    name = models.CharField(_("nom"), max_length=160)
    description = models.TextField(_("présentation"), blank=True)
    animator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("animateur·rice"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="animated_campaigns",
    )
    audience = models.CharField(_("public"), max_length=12, choices=AudienceKind.choices)
    teams = models.ManyToManyField("people.Team", verbose_name=_("équipes"), blank=True, related_name="campaigns")
    circles = models.ManyToManyField(Circle, verbose_name=_("cercles"), blank=True, related_name="campaigns")
    weekday = models.PositiveSmallIntegerField(_("jour d’envoi"), choices=Weekday.choices, default=Weekday.MONDAY)
    send_time = models.TimeField(_("heure d’envoi"), default=time(9))
    # The IANA zone of the send time: "every Monday at 9:00" stays 9:00 on the wall clock all year.
    time_zone = models.CharField(_("fuseau horaire"), max_length=64, default=default_time_zone)
    starts_on = models.DateField(_("début"))
    # 0: no reminder.
    reminder_days = models.PositiveSmallIntegerField(_("rappel après (jours)"), default=2)
    status = models.CharField(_("statut"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    launched_at = models.DateTimeField(_("lancée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne de thèmes")
        verbose_name_plural = _("campagnes de thèmes")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # An organisation's campaigns for its animators, newest first.
            models.Index(fields=["organisation", "created_at"], name="campaign_org_created"),
            # The campaigns an animator runs.
            models.Index(fields=["animator", "created_at"], name="campaign_animator_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="campaign_weekday_0_to_6"),
            models.CheckConstraint(condition=Q(reminder_days__lte=6), name="campaign_reminder_within_a_week"),
            models.CheckConstraint(
                condition=~Q(audience=AudienceKind.NETWORK) | Q(organisation__isnull=True),
                name="campaign_network_has_no_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(audience__in=[AudienceKind.ORGANISATION, AudienceKind.TEAMS])
                | Q(organisation__isnull=False),
                name="campaign_organisation_or_teams_has_organisation",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:campaign", args=[self.pk])

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def is_draft(self) -> bool:
        return self.status == CampaignStatus.DRAFT

    @property
    def is_finished(self) -> bool:
        return self.status == CampaignStatus.FINISHED


class PromptQuerySet(models.QuerySet):
    def sent(self):
        """Prompts whose sending has begun: from then on the audience sees them."""
        return self.filter(sent_at__isnull=False)

    def with_participation(self):
        """Each prompt with ``recipient_count``, ``answered_count`` (recipients who answered),
        ``reminded_count`` and ``answer_count``, counted in subqueries."""

        def count(queryset):
            total = queryset.order_by().values("prompt").annotate(total=models.Count("pk")).values("total")
            return Coalesce(models.Subquery(total, output_field=models.IntegerField()), models.Value(0))

        recipients = PromptRecipient.objects.filter(prompt=OuterRef("pk"))
        answered = Exists(PromptAnswer.objects.filter(prompt=OuterRef("prompt"), author=OuterRef("member")))
        return self.annotate(
            recipient_count=count(recipients),
            answered_count=count(recipients.filter(answered)),
            reminded_count=count(recipients.filter(reminded_at__isnull=False)),
            answer_count=count(PromptAnswer.objects.filter(prompt=OuterRef("pk"))),
        )

    def with_answer_of(self, member):
        """Each prompt with ``answered_by_me``."""
        return self.annotate(answered_by_me=Exists(PromptAnswer.objects.filter(prompt=OuterRef("pk"), author=member)))


class Prompt(models.Model):
    """One theme of a campaign: a question to discuss, an optional resource, sent at its weekly slot."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="prompts")
    position = models.PositiveIntegerField(_("rang"))
    theme = models.CharField(_("thème"), max_length=160)
    question = models.TextField(_("question à discuter"))
    resource_url = models.URLField(_("ressource"), max_length=500, blank=True)
    # The weekly slot it goes out at, set when the campaign is launched (apprenance.community.campaigns).
    send_at = models.DateTimeField(_("envoi prévu le"), null=True, blank=True)
    # When those who have not answered are reminded; empty without reminders.
    remind_at = models.DateTimeField(_("rappel prévu le"), null=True, blank=True)
    # Sending began: the theme is fixed and its audience sees it.
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    # Everyone in the audience has it: the sending job leaves it alone.
    delivered_at = models.DateTimeField(_("distribué le"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PromptQuerySet.as_manager()

    class Meta:
        verbose_name = _("thème de campagne")
        verbose_name_plural = _("thèmes de campagne")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="prompt_position_once"),
        ]
        indexes = [
            # The sending job: prompts not delivered yet whose slot has come.
            models.Index(fields=["delivered_at", "send_at"], name="prompt_to_deliver"),
            # The reminders job: prompts whose reminder time has come.
            models.Index(fields=["remind_at"], name="prompt_to_remind"),
        ]

    def __str__(self):
        return self.theme

    def get_absolute_url(self):
        return reverse("community:prompt", args=[self.campaign_id, self.pk])

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class PromptRecipient(models.Model):
    """Who received a prompt, and when they were reminded: the denominator of participation."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="recipients")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="received_prompts")
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    reminded_at = models.DateTimeField(_("relancé·e le"), null=True, blank=True)

    class Meta:
        verbose_name = _("destinataire d’un thème")
        verbose_name_plural = _("destinataires des thèmes")
        constraints = [
            models.UniqueConstraint(fields=["prompt", "member"], name="prompt_recipient_once"),
        ]
        indexes = [
            # "The campaigns that sent me a theme" (visibility), and the RGPD export.
            models.Index(fields=["member", "prompt"], name="prompt_recipient_member"),
        ]

    def __str__(self):
        return f"{self.prompt_id} → {self.member_id}"


class PromptAnswer(models.Model):
    """A message in a prompt's thread."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prompt_answers")
    body = models.TextField(_("réponse"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("réponse à un thème")
        verbose_name_plural = _("réponses aux thèmes")
        ordering = ["created_at", "pk"]
        indexes = [
            # The thread of a prompt, newest first.
            models.Index(fields=["prompt", "created_at"], name="prompt_answer_thread"),
            # "Has this recipient answered?" (participation, reminders), and the RGPD export.
            models.Index(fields=["author", "prompt"], name="prompt_answer_author"),
        ]

    def __str__(self):
        return self.body[:60]
