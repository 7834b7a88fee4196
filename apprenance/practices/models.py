from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Search results and lists of practices carry this generation in their cache keys.
PRACTICES_GENERATION = "practices"


class Kind(models.TextChoices):
    PRACTICE = "practice", _("Pratique")
    RITUAL = "ritual", _("Rituel")
    TIP = "tip", _("Astuce")
    EXPERIENCE_REPORT = "experience_report", _("Retour d’expérience")
    TOOL = "tool", _("Outil")


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    ARCHIVED = "archived", _("Archivée")


class Visibility(models.TextChoices):
    ORGANISATION = "organisation", _("Mon organisation")
    NETWORK = "network", _("Tout le réseau")


class Stage(models.TextChoices):
    """A practice's life in the community, shown on its page."""

    PROPOSED = "proposed", _("Proposée")
    TRIED = "tried", _("Essayée par des pairs")
    RETAINED = "retained", _("Retenue dans la mallette")
    RETIRED = "retired", _("Retirée")


class PracticeQuerySet(models.QuerySet):
    def visible_to(self, member):
        """What the member may read: their own practices (drafts included), and others' published or
        archived ones shared with the whole network or with the member's organisation."""
        shared = Q(status__in=[Status.PUBLISHED, Status.ARCHIVED]) & (
            Q(visibility=Visibility.NETWORK) | Q(organisation_id=member.organisation_id)
        )
        return self.filter(shared | Q(author_id=member.pk))

    def published(self):
        """Practices in the lists (drafts and archived ones are reached from their author's page)."""
        return self.filter(status=Status.PUBLISHED)

    def for_list(self):
        """What a line of a list shows: author, team and organisation loaded, long texts left out."""
        return self.select_related("author", "team", "organisation").defer(
            "what_we_did", "results", "difficulties", "victories", "embedding"
        )


class Practice(models.Model):
    """Something that worked somewhere, told so that another team can take it up."""

    ref = models.CharField(_("référence externe"), max_length=80, blank=True)
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.PRACTICE)
    context = models.TextField(_("contexte, problème"))
    what_we_did = models.TextField(_("ce que nous avons fait"))
    results = models.TextField(_("résultats"), blank=True)
    difficulties = models.TextField(_("difficultés"), blank=True)
    victories = models.TextField(_("victoires"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.PROTECT, related_name="practices"
    )
    organisation = models.ForeignKey(
        "people.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="practices"
    )
    team = models.ForeignKey(
        "people.Team",
        verbose_name=_("équipe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    tags = models.ManyToManyField("core.Tag", verbose_name=_("mots-clés"), blank=True, related_name="practices")
    skills = models.ManyToManyField("skills.Skill", verbose_name=_("compétences"), blank=True, related_name="practices")
    visibility = models.CharField(
        _("visibilité"), max_length=20, choices=Visibility.choices, default=Visibility.NETWORK
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices, default=Stage.PROPOSED)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    # Kept up to date by the services, in the same transaction as the row they count.
    adoption_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    useful_count = models.PositiveIntegerField(default=0)
    thanks_count = models.PositiveIntegerField(default=0)
    # The text's meaning as a vector (apprenance.core.semantic), computed when it is written.
    embedding = models.BinaryField(default=b"", editable=False)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pratique")
        verbose_name_plural = _("pratiques")
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [
            # The practices page: newest published first.
            models.Index(fields=["status", "published_at"], name="practice_status_published"),
            # "Most adopted" sort.
            models.Index(fields=["status", "adoption_count", "published_at"], name="practice_status_adoptions"),
            # An organisation's or a team's practices.
            models.Index(fields=["organisation", "status"], name="practice_org_status"),
            models.Index(fields=["team", "status"], name="practice_team_status"),
            # A member's own practices, drafts included.
            models.Index(fields=["author", "created_at"], name="practice_author_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ref"], condition=~Q(ref=""), name="practice_unique_ref"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("practices:detail", args=[self.pk])


class Revision(models.Model):
    """One edit of a practice: who changed which fields, when, and what they said before."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    changed = models.JSONField(default=list)  # field names
    previous = models.JSONField(default=dict)  # field name → value before the edit

    class Meta:
        verbose_name = _("modification")
        verbose_name_plural = _("historique des modifications")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.practice_id} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def field_labels(self) -> list[str]:
        """The changed fields as the form names them (« titre », « résultats »…)."""
        labels = {
            field.name: field.verbose_name for field in Practice._meta.get_fields() if hasattr(field, "verbose_name")
        }
        return [str(labels.get(name, name)) for name in self.changed]


class StageChange(models.Model):
    """A step of a practice's life, with who decided it and why."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.practice_id} → {self.stage}"


class Attachment(models.Model):
    class FileKind(models.TextChoices):
        IMAGE = "image", _("Image")
        PDF = "pdf", _("PDF")
        VIDEO = "video", _("Vidéo")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="practices/%Y/%m/")
    kind = models.CharField(max_length=10, choices=FileKind.choices)
    name = models.CharField(_("nom du fichier"), max_length=200)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name


class Comment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Threads are one level deep: a reply answers a top-level comment, never another reply.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("commentaire"))
    ref = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["practice", "created_at"], name="comment_practice_time")]
        constraints = [
            models.UniqueConstraint(fields=["practice", "ref"], condition=~Q(ref=""), name="comment_unique_ref"),
        ]

    def __str__(self):
        return self.body[:60]


class Reaction(models.Model):
    class ReactionKind(models.TextChoices):
        USEFUL = "useful", _("Utile")
        THANKS = "thanks", _("Merci")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "member", "kind"], name="reaction_once_per_kind"),
        ]

    def __str__(self):
        return f"{self.member_id} {self.kind} {self.practice_id}"


class Follow(models.Model):
    """A member who hears about new comments on a practice."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="follows")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "member"], name="follow_once")]

    def __str__(self):
        return f"{self.member_id} → {self.practice_id}"


class Outcome(models.TextChoices):
    WORKED = "worked", _("Ça a marché")
    PARTLY = "partly", _("En partie")
    NOT_HERE = "not_here", _("Pas chez nous")


class Adoption(models.Model):
    """« Je l’ai essayée » : a member tried the practice with a team, and says how it went."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="adoptions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adoptions")
    team = models.ForeignKey("people.Team", verbose_name=_("équipe"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("people.Organisation", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("résultat"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("comment ça s’est passé"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("essai")
        verbose_name_plural = _("essais")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["practice", "member"], name="adoption_once_per_member")]

    def __str__(self):
        return f"{self.member_id} tried {self.practice_id}"


class Toolkit(models.Model):
    """The mallette: practices retained by animators, in sections and in an order."""

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=160)
    description = models.TextField(_("présentation"), blank=True)
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mallette")
        verbose_name_plural = _("mallettes")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("practices:toolkit", args=[self.slug])


class ToolkitSection(models.Model):
    toolkit = models.ForeignKey(Toolkit, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("titre de la rubrique"), max_length=160)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class ToolkitItem(models.Model):
    section = models.ForeignKey(ToolkitSection, on_delete=models.CASCADE, related_name="items")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="toolkit_items")
    note = models.TextField(_("mot de l’animateur"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["section", "practice"], name="toolkit_item_once_per_section")]

    def __str__(self):
        return f"{self.section_id}: {self.practice_id}"
