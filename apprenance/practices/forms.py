from datetime import timedelta

from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apprenance.core.models import LARGEST_ID
from apprenance.core.widgets import QuickSelect
from apprenance.people.models import Team
from apprenance.practices.models import Kind, Outcome, Practice, Stage, ToolkitSection
from apprenance.practices.uploads import validate_attachment

MAX_LABELS = 10


def split_labels(raw: str) -> list[str]:
    """« réunion, bien-être » → ["réunion", "bien-être"]; a clear error when there are too many or too long."""
    labels = list(dict.fromkeys(" ".join(part.split()) for part in (raw or "").split(",") if part.strip()))
    if len(labels) > MAX_LABELS:
        raise forms.ValidationError(_("Pas plus de dix, séparés par des virgules."))
    if any(len(label) > 60 for label in labels):
        raise forms.ValidationError(_("Chacun fait 60 caractères au plus."))
    return labels


class PracticeForm(forms.ModelForm):
    tags = forms.CharField(
        label=_("Mots-clés"),
        required=False,
        max_length=600,
        help_text=_("Séparés par des virgules, par exemple « réunion, bien-être »."),
    )
    skills = forms.CharField(
        label=_("Compétences mobilisées"),
        required=False,
        max_length=600,
        help_text=_("Séparées par des virgules, par exemple « Animer une réunion »."),
    )

    class Meta:
        model = Practice
        fields = ["title", "kind", "context", "what_we_did", "results", "difficulties", "victories", "team"]
        fields += ["visibility"]
        widgets = {
            "context": forms.Textarea(attrs={"rows": 4}),
            "what_we_did": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 3}),
            "victories": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "title": _("Ce qui a marché, en une phrase : « Un café d’accueil pour chaque nouvel arrivant »."),
            "context": _("La situation, le problème de départ. Markdown accepté."),
            "team": _("L’équipe où la pratique est née."),
        }

    def __init__(self, *args, author, **kwargs):
        super().__init__(*args, **kwargs)
        self.author = author
        self.fields["team"].queryset = Team.objects.filter(organisation_id=author.organisation_id).order_by("name")
        self.fields["team"].empty_label = _("Aucune équipe en particulier")
        self.fields["results"].required = True
        if self.instance.pk:
            self.initial.setdefault("tags", ", ".join(self.instance.tags.values_list("name", flat=True)))
            self.initial.setdefault("skills", ", ".join(self.instance.skills.values_list("name", flat=True)))

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 5:
            raise forms.ValidationError(_("Donnez un titre d’au moins cinq caractères."))
        return title

    def clean_tags(self):
        return split_labels(self.cleaned_data["tags"])

    def clean_skills(self):
        return split_labels(self.cleaned_data["skills"])

    def practice_data(self) -> dict:
        """The cleaned values the services take (labels as lists of names)."""
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "tags", "skills"]}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("Une image (5 Mo au plus), un PDF (10 Mo) ou une courte vidéo MP4 ou WebM (50 Mo)."),
    )
    name = forms.CharField(
        label=_("Légende"), required=False, max_length=200, help_text=_("Par défaut, le nom du fichier.")
    )

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice = practice

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.recognised = validate_attachment(upload)
        if self.practice.attachments.count() >= settings.ATTACHMENTS_PER_PRACTICE:
            raise forms.ValidationError(
                _("Une pratique porte %(limit)s pièces jointes au plus : retirez-en une d’abord."),
                params={"limit": settings.ATTACHMENTS_PER_PRACTICE},
            )
        return upload

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Votre commentaire"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Le commentaire est vide."))
        return body


class AdoptionForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Avec quelle équipe ?"), queryset=Team.objects.none())
    outcome = forms.ChoiceField(label=_("Et alors ?"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Comment ça s’est passé"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Quelques mots pour l’auteur et pour ceux qui voudraient essayer à leur tour."),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(organisation_id=member.organisation_id).order_by("name")
        self.fields["team"].queryset = teams
        own = member.teams.order_by("name").first()
        if own is not None:
            self.fields["team"].initial = own.pk

    def clean_note(self):
        return self.cleaned_data["note"].strip()


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Décision"),
        choices=[(Stage.RETIRED, _("Retirer la pratique")), (Stage.TRIED, _("La remettre à l’essai"))],
        widget=forms.RadioSelect,
    )
    # Checked in clean_reason, which says what is expected rather than only "required".
    reason = forms.CharField(
        label=_("Pourquoi ?"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Dites en quelques mots ce qui motive la décision."))
        return reason


class RetainForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Rubrique de la mallette"), queryset=ToolkitSection.objects.none())
    note = forms.CharField(
        label=_("Le mot de l’animateur"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pourquoi cette pratique mérite d’être essayée, en une ou deux phrases."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["section"]
        field.queryset = ToolkitSection.objects.select_related("toolkit").order_by("toolkit__title", "position")
        field.label_from_instance = lambda section: f"{section.toolkit.title} — {section.title}"


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    ADOPTED = "adopted"
    CHOICES = [(RELEVANCE, _("Pertinence")), (NEWEST, _("Les plus récentes")), (ADOPTED, _("Les plus essayées"))]


PERIODS = {"30": 30, "90": 90, "365": 365}


PERIOD_CHOICES = [
    ("", _("Depuis toujours")),
    ("30", _("Depuis un mois")),
    ("90", _("Depuis trois mois")),
    ("365", _("Depuis un an")),
]


class PracticeFilterForm(forms.Form):
    """The practices list's filters. Its selects are rendered in Python (QuickSelect): the list is
    the network's busiest page and the 200 organisations of a large network would cost more
    through Django's widget templates than the search itself."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)
    organisation = forms.CharField(label=_("Organisation"), required=False, widget=QuickSelect)
    # Bounded like the ids it names: a larger number would reach the database and fail there.
    team = forms.IntegerField(
        label=_("Équipe"),
        required=False,
        widget=QuickSelect,
        min_value=1,
        max_value=LARGEST_ID,
        error_messages={
            "invalid": _("Cette équipe n’existe pas."),
            "min_value": _("Cette équipe n’existe pas."),
            "max_value": _("Cette équipe n’existe pas."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous les types")), *Kind.choices], widget=QuickSelect
    )
    tag = forms.SlugField(label=_("Mot-clé"), required=False)
    skill = forms.SlugField(label=_("Compétence"), required=False)
    period = forms.ChoiceField(label=_("Publiées"), required=False, choices=PERIOD_CHOICES, widget=QuickSelect)
    toolkit = forms.BooleanField(label=_("Retenues dans la mallette"), required=False)
    sort = forms.ChoiceField(label=_("Trier par"), required=False, choices=Sort.CHOICES, widget=QuickSelect)

    def __init__(self, *args, organisation_options, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_slugs = {slug for slug, _name in organisation_options}
        self.fields["organisation"].widget.options = [("", _("Toutes les organisations")), *organisation_options]
        # Choosing an organisation reloads the whole form, so that its teams are offered.
        self.fields["organisation"].widget.attrs = {
            "hx-get": reverse_lazy("practices:list"),
            "hx-include": "closest form",
            "hx-target": "body",
            "hx-push-url": "true",
            "hx-trigger": "change",
        }
        # Teams are offered once an organisation is chosen; a team alone (a link from a practice's
        # page) is still honoured, as a hidden field.
        self.team_options = []
        organisation = self.data.get("organisation")
        if organisation in self.organisation_slugs:
            self.team_options = [
                (str(pk), name)
                for pk, name in Team.objects.filter(organisation__slug=organisation)
                .order_by("name")
                .values_list("pk", "name")
            ]
            team = self.data.get("team")
            if team and team not in {pk for pk, _name in self.team_options}:
                # A team left selected from the previous organisation: drop it rather than fail.
                self.data = self.data.copy()
                self.data.pop("team")
        self.fields["team"].widget.options = [("", _("Toutes les équipes")), *self.team_options]

    def clean_organisation(self):
        slug = self.cleaned_data["organisation"]
        if slug and slug not in self.organisation_slugs:
            raise forms.ValidationError(_("Cette organisation n’existe pas."))
        return slug

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    @property
    def narrows(self) -> bool:
        """Whether any filter besides the query and the sort is set."""
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("organisation", "team", "kind", "tag", "skill", "period", "toolkit"))

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("organisation"):
            queryset = queryset.filter(organisation__slug=data["organisation"])
        if data.get("team"):
            queryset = queryset.filter(team_id=data["team"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("tag"):
            queryset = queryset.filter(tags__slug=data["tag"])
        if data.get("skill"):
            queryset = queryset.filter(skills__slug=data["skill"])
        if data.get("period"):
            queryset = queryset.filter(published_at__gte=timezone.now() - timedelta(days=PERIODS[data["period"]]))
        if data.get("toolkit"):
            queryset = queryset.filter(stage=Stage.RETAINED)
        return queryset
