import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apprenance.core.text import fold

SPOKEN_LANGUAGES = [
    ("fr", _("français")),
    ("en", _("anglais")),
    ("es", _("espagnol")),
    ("de", _("allemand")),
    ("it", _("italien")),
    ("pt", _("portugais")),
    ("ar", _("arabe")),
    ("vi", _("vietnamien")),
    ("sr", _("serbe")),
    ("tr", _("turc")),
    ("zh", _("chinois")),
    ("br", _("breton")),
    ("oc", _("occitan")),
    ("lsf", _("langue des signes française")),
]


# Cached lists of people carry this generation in their key; every write to people bumps it.
PEOPLE_GENERATION = "people"


class World(models.TextChoices):
    """The four worlds of a territory network."""

    CIVIL_SOCIETY = "civil_society", _("Société civile")
    PUBLIC_ACTION = "public_action", _("Action publique")
    ECONOMY = "economy", _("Économie")
    SCIENCE = "science", _("Science")


class Role(models.TextChoices):
    MEMBER = "member", _("Membre")
    ANIMATOR = "animator", _("Animateur·rice")
    ORG_ADMIN = "org_admin", _("Administrateur·rice de l’organisation")
    NETWORK_ADMIN = "network_admin", _("Administrateur·rice du réseau")


class ProfileVisibility(models.TextChoices):
    NETWORK = "network", _("Tout le réseau")
    ORGANISATION = "organisation", _("Mon organisation seulement")


def _count_per_organisation(model, **filters):
    """A correlated COUNT: joining members and teams at once would multiply the rows."""
    counts = (
        model.objects.filter(organisation=models.OuterRef("pk"), **filters)
        .order_by()
        .values("organisation")
        .annotate(total=models.Count("pk"))
        .values("total")
    )
    return Coalesce(models.Subquery(counts, output_field=models.IntegerField()), models.Value(0))


class OrganisationQuerySet(models.QuerySet):
    def with_counts(self):
        """Each organisation with ``member_count`` (active members) and ``team_count``."""
        return self.annotate(
            member_count=_count_per_organisation(Member, is_active=True),
            team_count=_count_per_organisation(Team),
        )


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=160)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    world = models.CharField(_("monde"), max_length=20, choices=World.choices)
    kind = models.CharField(_("type"), max_length=120, blank=True)
    territory = models.CharField(_("territoire"), max_length=120, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    # Questions asked here are sent to this many experts of the ranking (apprenance.questions).
    experts_per_question = models.PositiveSmallIntegerField(_("experts sollicités par question"), default=5)
    # Members of this organisation are solicited for questions at most this often a week.
    solicitations_per_week = models.PositiveSmallIntegerField(
        _("sollicitations par personne et par semaine"), default=3
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:organisation", args=[self.slug])


class Team(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("nom"), max_length=160)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("équipe parente"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    description = models.TextField(_("présentation"), blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    class Meta:
        verbose_name = _("équipe")
        verbose_name_plural = _("équipes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name_per_organisation"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:team", args=[self.organisation.slug, self.pk])


# The columns a person's card needs; lists of people load nothing else.
CARD_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "job_title",
    "photo",
    "role",
    "is_active",
    "organisation__name",
    "organisation__slug",
]


class MemberQuerySet(models.QuerySet):
    def active(self):
        """Members who can sign in."""
        return self.filter(is_active=True)

    def visible_to(self, viewer):
        """Profiles the viewer may see: their organisation's, and others' unless hidden."""
        if viewer.is_network_admin:
            return self
        return self.filter(Q(profile_visibility=ProfileVisibility.NETWORK) | Q(organisation_id=viewer.organisation_id))

    def search(self, text):
        """Members whose name or e-mail contains every word typed, ignoring case and accents."""
        query = self
        for word in fold(text).split():
            query = query.filter(search_text__contains=word)
        return query

    def for_directory(self):
        """What a list of people shows (name, job, photo, organisation, teams), in name order, in two queries."""
        return (
            self.select_related("organisation")
            .only(*CARD_FIELDS)
            .prefetch_related(models.Prefetch("teams", queryset=Team.objects.only("name").order_by("name")))
            .order_by("last_name", "first_name", "pk")
        )


class MemberManager(BaseUserManager.from_queryset(MemberQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("members need an e-mail address")
        member = self.model(email=self.normalize_email(email).lower(), **fields)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


# An erased account keeps its row, anonymised: this name, and an address nobody receives mail at
# (the .invalid top-level domain, RFC 2606), which frees the real one for a later invitation.
ERASED_NAME = ("Ancien·ne", "membre")
ERASED_EMAIL_DOMAIN = "apprenance.invalid"


class Member(AbstractBaseUser, PermissionsMixin):
    """A person of the network, signing in with their e-mail address."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=80)
    last_name = models.CharField(pgettext_lazy("family name", "nom"), max_length=80)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    teams = models.ManyToManyField(
        Team, verbose_name=_("équipes"), through="Membership", related_name="members", blank=True
    )
    job_title = models.CharField(_("fonction"), max_length=160, blank=True)
    bio = models.TextField(_("présentation"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    languages = models.JSONField(_("langues"), default=list, blank=True)
    profile_visibility = models.CharField(
        _("visibilité du profil"),
        max_length=20,
        choices=ProfileVisibility.choices,
        default=ProfileVisibility.NETWORK,
    )
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l’administration technique"), default=False)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # Folded "first last email" so that name search ignores case and accents on every database.
    search_text = models.CharField(max_length=420, blank=True, editable=False)

    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["last_name", "first_name"]
        indexes = [
            # The directory lists an organisation's people in name order.
            models.Index(fields=["organisation", "last_name", "first_name"], name="member_org_name"),
            # The directory's default listing across the network.
            models.Index(fields=["last_name", "first_name"], name="member_name"),
            # "Dernières arrivées" on the home page.
            models.Index(fields=["date_joined"], name="member_joined"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="member_unique_email_ci"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def refresh_search_text(self):
        self.search_text = fold(f"{self.first_name} {self.last_name} {self.email}")

    @property
    def is_erased(self) -> bool:
        """Whether the account was erased (people.services.erase_member): only what others built on is left."""
        return self.email.endswith("@" + ERASED_EMAIL_DOMAIN)

    def get_absolute_url(self):
        return reverse("people:member", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.first_name

    @property
    def spoken_languages(self):
        """Names of the languages the member speaks, in the reader's language."""
        names = dict(SPOKEN_LANGUAGES)
        return [(code, names.get(code, code)) for code in self.languages]

    @property
    def initials(self):
        return (self.first_name[:1] + self.last_name[:1]).upper() or self.email[:1].upper()

    @property
    def is_network_admin(self):
        return self.is_superuser or self.role == Role.NETWORK_ADMIN

    @property
    def visibility_scope(self) -> str:
        """Viewers with the same scope see the same profiles (see MemberQuerySet.visible_to)."""
        return "all" if self.is_network_admin else f"organisation-{self.organisation_id}"

    def can_manage(self, organisation):
        """Organisation admins manage their own organisation; network admins manage all."""
        if not self.is_authenticated or not self.is_active:
            return False
        if self.is_network_admin:
            return True
        return self.role == Role.ORG_ADMIN and self.organisation_id == organisation.pk


class Membership(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(_("depuis le"), default=timezone.now)

    class Meta:
        verbose_name = _("appartenance à une équipe")
        verbose_name_plural = _("appartenances aux équipes")
        constraints = [
            models.UniqueConstraint(fields=["member", "team"], name="membership_unique_member_team"),
        ]

    def __str__(self):
        return f"{self.member} → {self.team}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Invitations not yet used, revoked nor expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A one-time link that lets someone join an organisation; only the token's hash is kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    teams = models.ManyToManyField(Team, verbose_name=_("équipes"), blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [
            # The management page lists an organisation's pending invitations.
            models.Index(fields=["organisation", "accepted_at", "expires_at"], name="invitation_org_pending"),
        ]

    def __str__(self):
        return self.email

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()
