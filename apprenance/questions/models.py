from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apprenance.practices.models import Visibility

# Lists and searches of questions carry this generation in their cache keys.
QUESTIONS_GENERATION = "questions"


class Status(models.TextChoices):
    OPEN = "open", _("Sans réponse")
    ANSWERED = "answered", _("Avec des réponses")


def readable_by(member, through: str = "") -> Q:
    """The questions ``member`` may read, as a condition on the question reached ``through`` a relation."""
    return (
        Q(**{f"{through}visibility": Visibility.NETWORK})
        | Q(**{f"{through}organisation_id": member.organisation_id})
        | Q(**{f"{through}author_id": member.pk})
    )


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, member):
        """What the member may read: questions shared with the whole network, those of the member's
        organisation, and their own. An organisation-only question never leaves its organisation;
        ``Question.audience()`` is the same rule seen from the question's side."""
        return self.filter(readable_by(member))

    def for_list(self):
        """What a line of a list shows: author, team and organisation loaded, long texts left out."""
        return self.select_related("author", "team", "organisation").defer("details", "embedding")


class Question(models.Model):
    """« Comment fais-tu pour… ? » : a member asks the community."""

    ref = models.CharField(_("référence externe"), max_length=80, blank=True)
    title = models.CharField(_("votre question"), max_length=200)
    details = models.TextField(_("précisions"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.PROTECT, related_name="questions"
    )
    organisation = models.ForeignKey(
        "people.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="questions"
    )
    team = models.ForeignKey(
        "people.Team", verbose_name=_("équipe"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = models.ManyToManyField("core.Tag", verbose_name=_("mots-clés"), blank=True, related_name="questions")
    skills = models.ManyToManyField("skills.Skill", verbose_name=_("compétences"), blank=True, related_name="questions")
    visibility = models.CharField(
        _("visibilité"), max_length=20, choices=Visibility.choices, default=Visibility.NETWORK
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.OPEN)
    accepted_answer = models.ForeignKey(
        "Answer", verbose_name=_("réponse retenue"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("posée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    # Kept by the services in the same transaction as the answer they describe.
    first_answer_at = models.DateTimeField(null=True, blank=True)
    answer_count = models.PositiveIntegerField(default=0)
    # The text's meaning as a vector (apprenance.core.semantic), computed when it is written.
    embedding = models.BinaryField(default=b"", editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The questions page: newest first, filtered by state.
            models.Index(fields=["status", "created_at"], name="question_status_created"),
            # An organisation's questions (measures for animators).
            models.Index(fields=["organisation", "created_at"], name="question_org_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ref"], condition=~Q(ref=""), name="question_unique_ref"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("questions:detail", args=[self.pk])

    def audience(self):
        """The members who may read this question (the mirror of QuestionQuerySet.visible_to)."""
        from apprenance.people.models import Member

        members = Member.objects.active()
        if self.visibility == Visibility.ORGANISATION:
            members = members.filter(organisation_id=self.organisation_id)
        return members


class AnswerQuerySet(models.QuerySet):
    def visible_to(self, member):
        """Answers to the questions the member may read (a join: SQLite plans ``question IN (…)``
        by reading every question)."""
        return self.filter(readable_by(member, through="question__"))

    def useful(self):
        """Accepted and upvoted answers: what routing reads of a member (plain answers prove nothing yet)."""
        return self.filter(Q(is_accepted=True) | Q(useful_count__gt=0))


class Answer(models.Model):
    ref = models.CharField(max_length=80, blank=True)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers")
    body = models.TextField(_("votre réponse"))
    useful_count = models.PositiveIntegerField(default=0)
    # Mirrors Question.accepted_answer, so that routing finds accepted answers without a join.
    is_accepted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The practice this answer became (see services.turn_into_practice).
    practice = models.OneToOneField(
        "practices.Practice", null=True, blank=True, on_delete=models.SET_NULL, related_name="source_answer"
    )
    # The answer's meaning, read with its question, for routing later questions to its author.
    embedding = models.BinaryField(default=b"", editable=False)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["created_at", "pk"]
        indexes = [
            # A question's answers in order.
            models.Index(fields=["question", "created_at"], name="answer_question_created"),
            # A member's answers (routing reads a candidate expert's answers).
            models.Index(fields=["author", "created_at"], name="answer_author_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ref"], condition=~Q(ref=""), name="answer_unique_ref"),
        ]

    def __str__(self):
        return self.body[:60]

    def get_absolute_url(self):
        return f"{self.question.get_absolute_url()}#reponse-{self.pk}"


class AnswerVote(models.Model):
    """« Utile » : one per member and answer, never on one's own answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "member"], name="answer_vote_once")]

    def __str__(self):
        return f"{self.member_id} → {self.answer_id}"


class AnswerComment(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("commentaire"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]


class QuestionFollow(models.Model):
    """A member who hears about new answers to a question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follows")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "member"], name="question_follow_once")]

    def __str__(self):
        return f"{self.member_id} → {self.question_id}"


class Solicitation(models.Model):
    """A member the routing suggested for a question, with why; notified or not, declined or not."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="solicitations")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="solicitations")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    # Structured (see routing.reason_text), worded in the reader's language when shown.
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sollicitation")
        verbose_name_plural = _("sollicitations")
        ordering = ["question", "rank"]
        constraints = [models.UniqueConstraint(fields=["question", "expert"], name="solicitation_once")]
        indexes = [
            # The weekly cap: how often an expert was notified since Monday.
            models.Index(fields=["expert", "notified_at"], name="solicitation_expert_notified"),
            # Routing lowers the score of members who declined before.
            models.Index(fields=["expert", "declined_at"], name="solicitation_expert_declined"),
        ]

    def __str__(self):
        return f"{self.question_id} → {self.expert_id} (#{self.rank})"


class ExpertSettings(models.Model):
    """A member's availability for questions routed to them."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_settings")
    paused = models.BooleanField(_("mettre en pause les sollicitations"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("disponibilité pour les questions")
        verbose_name_plural = _("disponibilités pour les questions")

    def __str__(self):
        return f"{self.member_id} paused={self.paused}"


class ExpertProfile(models.Model):
    """What a member has written that the whole network may read, gathered for routing questions.

    Kept by apprenance.questions.profiles, with the member's document in its full-text index.
    """

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="expert_profile"
    )
    # The normalised mean of the texts' stored meanings (apprenance.core.semantic); b"" without any.
    embedding = models.BinaryField(default=b"", editable=False)
    text_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("profil d’expertise")
        verbose_name_plural = _("profils d’expertise")
        indexes = [
            # Routing's copy of the profiles' meanings reads again those changed since it last looked.
            models.Index(fields=["updated_at"], name="expert_profile_updated"),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.text_count}"
