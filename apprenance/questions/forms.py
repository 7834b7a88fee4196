from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from apprenance.practices.forms import split_labels
from apprenance.practices.models import Visibility
from apprenance.questions.models import Question


class QuestionForm(forms.ModelForm):
    tags = forms.CharField(
        label=_("Mots-clés"),
        required=False,
        max_length=600,
        help_text=_("Séparés par des virgules, par exemple « entretien annuel, motivation »."),
    )
    skills = forms.CharField(
        label=_("Compétences utiles"),
        required=False,
        max_length=600,
        help_text=_("Séparées par des virgules, par exemple « Conduite d’entretien »."),
    )

    class Meta:
        model = Question
        fields = ["title", "details", "visibility"]
        widgets = {
            "details": forms.Textarea(attrs={"rows": 6}),
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "title": _("En une phrase, par exemple « Comment fais-tu pour préparer un entretien annuel difficile ? »"),
            "details": _("Le contexte, ce que vous avez déjà essayé. Markdown accepté."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("tags", ", ".join(self.instance.tags.values_list("name", flat=True)))
            self.initial.setdefault("skills", ", ".join(self.instance.skills.values_list("name", flat=True)))
            return
        # While the title is typed, what may already answer it is shown beside the form.
        self.fields["title"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("questions:suggestions"),
                "hx-trigger": "input changed delay:500ms",
                "hx-target": "#suggestions",
                "hx-swap": "outerHTML",
                "autocomplete": "off",
            }
        )

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 10:
            raise forms.ValidationError(_("Posez votre question en au moins dix caractères."))
        return title

    def clean_details(self):
        return self.cleaned_data["details"].strip()

    def clean_visibility(self):
        visibility = self.cleaned_data["visibility"]
        question = self.instance
        if question.pk and visibility == Visibility.ORGANISATION and question.visibility != visibility:
            # Narrowing would shut answerers from elsewhere out of their own answers.
            outside = question.answers.exclude(author__organisation_id=question.organisation_id)
            if outside.exists():
                raise forms.ValidationError(
                    _("Des membres d’autres organisations y ont déjà répondu : elle reste visible de tout le réseau.")
                )
        return visibility

    def clean_tags(self):
        return split_labels(self.cleaned_data["tags"])

    def clean_skills(self):
        return split_labels(self.cleaned_data["skills"])

    def question_data(self) -> dict:
        """The cleaned values the services take (labels as lists of names)."""
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "tags", "skills"]}


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Votre réponse"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ce que vous avez fait dans une situation semblable, et comment ça s’est passé. Markdown accepté."),
        error_messages={"required": _("La réponse est vide.")},
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("La réponse est vide."))
        return body


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Votre commentaire"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Le commentaire est vide."))
        return body


class State:
    ALL = ""
    UNANSWERED = "unanswered"
    ANSWERED = "answered"
    ACCEPTED = "accepted"
    CHOICES = [
        (ALL, _("Toutes les questions")),
        (UNANSWERED, _("Sans réponse")),
        (ANSWERED, _("Avec des réponses")),
        (ACCEPTED, _("Avec une réponse retenue")),
    ]


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher une question"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("Lesquelles"), required=False, choices=State.CHOICES)
    visibility = forms.ChoiceField(
        label=_("Visibilité"), required=False, choices=[("", _("Toutes")), *Visibility.choices]
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    @property
    def narrows(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("state") or data.get("visibility"))

    def filter(self, queryset):
        data = self.cleaned_data
        state = data.get("state")
        if state == State.UNANSWERED:
            queryset = queryset.filter(answer_count=0)
        elif state == State.ANSWERED:
            queryset = queryset.filter(answer_count__gt=0)
        elif state == State.ACCEPTED:
            queryset = queryset.filter(accepted_answer__isnull=False)
        if data.get("visibility"):
            queryset = queryset.filter(visibility=data["visibility"])
        return queryset


class AvailabilityForm(forms.Form):
    paused = forms.BooleanField(
        label=_("Mettre en pause les sollicitations"),
        required=False,
        help_text=_("Vous ne serez plus proposé·e comme personne-ressource tant que la pause dure."),
    )


class ResultType:
    """What the search page shows (the values are in the address, hence in French)."""

    ALL = "tout"
    PRACTICES = "pratiques"
    QUESTIONS = "questions"
    CHOICES = [(ALL, _("Tout")), (PRACTICES, _("Pratiques")), (QUESTIONS, _("Questions"))]


class SearchForm(forms.Form):
    """The search page's query and its type filter, over practices and questions at once."""

    q = forms.CharField(
        label=_("Rechercher une pratique ou une question"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Votre recherche est trop longue : 200 caractères au plus.")},
    )
    type = forms.ChoiceField(
        label=_("Afficher"),
        required=False,
        choices=ResultType.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Ce type de résultat n’existe pas : tout est affiché.")},
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean_type(self):
        return self.cleaned_data["type"] or ResultType.ALL

    @property
    def query(self) -> str:
        """The query, or nothing when it was not valid."""
        return getattr(self, "cleaned_data", {}).get("q", "") if self.is_bound else ""

    @property
    def result_type(self) -> str:
        """The type asked, or all of them when none (or an unknown one) was."""
        return getattr(self, "cleaned_data", {}).get("type") or ResultType.ALL
