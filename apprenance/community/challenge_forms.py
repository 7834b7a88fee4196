from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apprenance.community.challenges import CHALLENGE_FIELDS, POINTS_BY_REPEAT
from apprenance.community.models import ChallengeMetric, ChallengeStatus, TeamChallenge
from apprenance.people.models import Organisation

# Long enough for a season, short enough to stay a game.
MAX_CHALLENGE_DAYS = 366
DEFAULT_CHALLENGE_DAYS = 28
# Once a challenge has started these no longer change, so that nobody moves the goalposts mid-game;
# once it is over, its end is fixed too and its leaderboard stays what it was.
LOCKED_ONCE_STARTED = ("metric", "organisation", "starts_on")
LOCKED_ONCE_FINISHED = ("ends_on",)


def _date_field(label, **kwargs):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


class ChallengeForm(forms.Form):
    """What an animator opens: a challenge between teams, over a period, on one metric."""

    title = forms.CharField(label=_("Titre"), max_length=160)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce que le défi encourage et pourquoi. Markdown accepté : **gras**, *italique*, listes, liens."),
    )
    metric = forms.ChoiceField(
        label=_("Ce qui rapporte des points"),
        choices=ChallengeMetric.choices,
        widget=forms.RadioSelect,
    )
    organisation = forms.ModelChoiceField(
        label=_("Équipes en lice"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        error_messages={
            "required": _(
                "Choisissez votre organisation : seuls les administrateurs du réseau ouvrent un défi à tout le réseau."
            )
        },
    )
    starts_on = _date_field(_("Début"))
    ends_on = _date_field(_("Fin"), help_text=_("Dernier jour du défi, inclus."))

    def __init__(self, *args, runner, challenge: TeamChallenge | None = None, **kwargs):
        today = timezone.localdate()
        if challenge is not None:
            kwargs.setdefault("initial", {name: getattr(challenge, name) for name in CHALLENGE_FIELDS})
        else:
            kwargs.setdefault(
                "initial",
                {
                    "organisation": runner.organisation,
                    "starts_on": today,
                    "ends_on": today + timedelta(days=DEFAULT_CHALLENGE_DAYS - 1),
                },
            )
        super().__init__(*args, **kwargs)
        self.today = today
        first, second, third = POINTS_BY_REPEAT
        self.fields["metric"].help_text = _(
            "Les points viennent du journal d’activité : %(first)s pour la première action d’une personne sur un "
            "même fil, %(second)s pour la deuxième, %(third)s pour la troisième, puis plus rien. Répondre à une "
            "question de sa propre équipe ou adopter une de ses pratiques ne rapporte rien."
        ) % {"first": first, "second": second, "third": third}
        organisations = self.fields["organisation"]
        if runner.is_network_admin:
            organisations.queryset = Organisation.objects.order_by("name")
            organisations.required = False
            organisations.empty_label = _("Toutes les équipes du réseau")
        else:
            organisations.queryset = Organisation.objects.filter(pk=runner.organisation_id)
            organisations.empty_label = None
        organisations.help_text = _("Les équipes d’une organisation, ou celles de tout le réseau.")
        self.locked = ()
        if challenge is not None:
            status = challenge.status_on(today)
            if status == ChallengeStatus.RUNNING:
                self.locked = LOCKED_ONCE_STARTED
            elif status == ChallengeStatus.FINISHED:
                self.locked = (*LOCKED_ONCE_STARTED, *LOCKED_ONCE_FINISHED)
        for name in self.locked:
            self.fields[name].disabled = True
            self.fields[name].help_text = _("Le défi a commencé : cette donnée ne change plus.")

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        cleaned = super().clean()
        for name in self.locked:
            if self._asks_to_change(name):
                self.add_error(name, _("Le défi a commencé : cette donnée ne change plus."))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends:
            if ends < starts:
                self.add_error("ends_on", _("La fin doit venir le jour du début ou après."))
            elif (ends - starts).days + 1 > MAX_CHALLENGE_DAYS:
                self.add_error("ends_on", _("Un défi dure au plus un an : rapprochez la fin du début."))
        if ends and "ends_on" not in self.locked and ends < self.today and not self.has_error("ends_on"):
            self.add_error("ends_on", _("Cette date est passée : un défi se termine aujourd’hui au plus tôt."))
        return cleaned

    def _asks_to_change(self, name: str) -> bool:
        """Whether the submitted data (not the page, which does not send locked fields) carries another value."""
        if name not in self.data:
            return False
        field = self.fields[name]
        try:
            return field.to_python(self.data[name]) != field.to_python(self.initial.get(name))
        except ValidationError:
            return True

    def challenge_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in CHALLENGE_FIELDS}
