from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apprenance.community import formation
from apprenance.community.campaigns import CAMPAIGN_FIELDS
from apprenance.community.models import AudienceKind, Campaign, Circle, CircleStatus, Weekday
from apprenance.people.models import Member, Organisation, Role, Team

MAX_CONSTRAINT_LINES = 200
# A live session is a conversation: the coach marks attendance on one page.
MAX_CAPACITY = 500


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown accepté : **gras**, *italique*, listes, liens."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Le message est vide."))
        return body


def _emails(raw: str) -> list[str]:
    return [part.strip().lower() for part in raw.replace(";", ",").replace("\n", ",").split(",") if part.strip()]


class FormationForm(forms.Form):
    """Who to form circles with, how big, and what to respect."""

    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune cochée : toutes celles que vous voyez."),
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Équipes"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Aucune choisie : toutes les équipes des organisations retenues."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Rôles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun coché : tous les rôles."),
    )
    size = forms.IntegerField(
        label=_("Taille des cercles"),
        min_value=formation.MIN_SIZE,
        max_value=formation.MAX_SIZE,
        initial=6,
        help_text=_("De 4 à 8 personnes ; quelques cercles peuvent compter une personne de plus ou de moins."),
    )
    apart = forms.CharField(
        label=_("Personnes à séparer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une paire par ligne : deux adresses e-mail séparées par une virgule."),
    )
    together = forms.CharField(
        label=_("Personnes à réunir"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une paire par ligne : deux adresses e-mail séparées par une virgule."),
    )
    excluded = forms.CharField(
        label=_("Personnes à laisser de côté"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Des adresses e-mail, une par ligne ou séparées par des virgules."),
    )

    def __init__(self, *args, animator, **kwargs):
        super().__init__(*args, **kwargs)
        self.animator = animator
        organisations = Organisation.objects.order_by("name")
        if not animator.is_network_admin:
            visible = Member.objects.active().visible_to(animator).values("organisation_id")
            organisations = organisations.filter(pk__in=visible)
        self.fields["organisations"].queryset = organisations
        self.fields["teams"].queryset = (
            Team.objects.filter(organisation__in=organisations)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        self.fields["teams"].label_from_instance = lambda team: f"{team.organisation.name} — {team.name}"

    def _known(self, emails: list[str], field: str) -> dict[str, int]:
        """The ids of these e-mails among the members the animator can see; unknown ones are an error."""
        found = dict(
            Member.objects.active().visible_to(self.animator).filter(email__in=emails).values_list("email", "pk")
        )
        missing = [email for email in emails if email not in found]
        if missing:
            self.add_error(field, _("Personne de visible ne répond à : %(emails)s.") % {"emails": ", ".join(missing)})
        return found

    def _pairs(self, field: str) -> list[tuple[int, int]]:
        lines = [line for line in self.cleaned_data.get(field, "").splitlines() if line.strip()]
        if len(lines) > MAX_CONSTRAINT_LINES:
            self.add_error(field, _("Pas plus de 200 lignes."))
            return []
        pairs = []
        for number, line in enumerate(lines, start=1):
            emails = _emails(line)
            if len(emails) != 2 or emails[0] == emails[1]:
                self.add_error(
                    field,
                    _("Ligne %(number)s : il faut deux adresses différentes, séparées par une virgule.")
                    % {"number": number},
                )
                continue
            pairs.append((emails[0], emails[1]))
        ids = self._known(sorted({email for p in pairs for email in p}), field)
        return [(ids[a], ids[b]) for a, b in pairs if a in ids and b in ids]

    def clean(self):
        cleaned = super().clean()
        cleaned["apart_ids"] = self._pairs("apart")
        cleaned["together_ids"] = self._pairs("together")
        excluded = _emails(cleaned.get("excluded", ""))
        cleaned["excluded_ids"] = list(self._known(excluded, "excluded").values())
        return cleaned

    def population_filters(self) -> dict:
        data = self.cleaned_data
        return {"organisations": list(data["organisations"]), "teams": list(data["teams"]), "roles": data["roles"]}

    def constraints(self) -> dict:
        data = self.cleaned_data
        return {"apart": data["apart_ids"], "together": data["together_ids"], "excluded": data["excluded_ids"]}


class SwapForm(forms.Form):
    """Two people of the proposal, in two different circles, to exchange."""

    first = forms.TypedChoiceField(label=_("Première personne"), coerce=int)
    second = forms.TypedChoiceField(label=_("Seconde personne"), coerce=int)

    def __init__(self, *args, proposal, names: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        choices = [
            (str(_("Cercle %(number)s") % {"number": number}), [(pk, names.get(pk, pk)) for pk in circle])
            for number, circle in enumerate(proposal.circles, start=1)
        ]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("first"), cleaned.get("second")
        if first is not None and second is not None:
            where = {pk: index for index, circle in enumerate(self.proposal.circles) for pk in circle}
            if where[first] == where[second]:
                raise forms.ValidationError(_("Choisissez deux personnes de cercles différents."))
        return cleaned


class ConfirmForm(forms.Form):
    name = forms.CharField(
        label=_("Nom des cercles"),
        max_length=150,
        help_text=_("Chaque cercle reçoit ce nom suivi de son numéro, par exemple « Cercle du printemps 3 »."),
    )
    purpose = forms.CharField(
        label=_("Raison d’être"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que les cercles vont faire ensemble, en quelques lignes."),
    )
    starts_on = forms.DateField(label=_("Début"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(
        label=_("Fin"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Donnez un nom aux cercles."))
        return name

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("La fin doit venir après le début."))
        return cleaned


def known_time_zone(value: str) -> str:
    """An IANA time zone name, or a form error."""
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise forms.ValidationError(_("Fuseau horaire inconnu : indiquez par exemple Europe/Paris.")) from None
    return name


class WallClockField(forms.DateTimeField):
    """A date and time as the wall clock shows it where the session happens: read without a time zone,
    the form places it in the session's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise forms.ValidationError(
                _("Indiquez une date et une heure, par exemple 2026-10-25 09:00."), code="invalid"
            ) from None


class SessionForm(forms.Form):
    """What an animator plans: a live session online or in a place."""

    title = forms.CharField(label=_("Titre"), max_length=160)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown accepté : **gras**, *italique*, listes, liens."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Ouvert à"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Tout le réseau"),
        help_text=_("Un temps réservé à une organisation n’est vu que par ses membres."),
    )
    coach_email = forms.EmailField(
        label=_("Adresse e-mail du ou de la coach"),
        help_text=_("La personne qui anime ce temps et note les présences."),
    )
    online_url = forms.URLField(
        label=_("Lien de connexion"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Pour un temps en ligne. Laissez vide pour un temps dans un lieu."),
    )
    place_name = forms.CharField(label=_("Lieu"), required=False, max_length=160)
    address = forms.CharField(
        label=_("Adresse"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Pour un temps dans un lieu. Laissez vide pour un temps en ligne."),
    )
    starts_at = WallClockField(label=_("Début"))
    ends_at = WallClockField(label=_("Fin"))
    time_zone = forms.CharField(
        label=_("Fuseau horaire"),
        max_length=64,
        initial="Europe/Paris",
        help_text=_("Celui du début et de la fin, par exemple Europe/Paris ou America/Martinique."),
    )
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=MAX_CAPACITY, initial=12)

    def __init__(self, *args, planner, session=None, confirmed: int = 0, **kwargs):
        if session is not None:
            zone = session.zone
            kwargs.setdefault(
                "initial",
                {
                    "title": session.title,
                    "description": session.description,
                    "organisation": session.organisation_id,
                    "coach_email": session.coach.email if session.coach else "",
                    "online_url": session.online_url,
                    "place_name": session.place_name,
                    "address": session.address,
                    "starts_at": session.starts_at.astimezone(zone).replace(tzinfo=None),
                    "ends_at": session.ends_at.astimezone(zone).replace(tzinfo=None),
                    "time_zone": session.time_zone,
                    "capacity": session.capacity,
                },
            )
        else:
            kwargs.setdefault("initial", {"coach_email": planner.email, "organisation": planner.organisation_id})
        super().__init__(*args, **kwargs)
        self.planner = planner
        self.confirmed = confirmed
        organisations = Organisation.objects.order_by("name")
        if not planner.is_network_admin:
            organisations = organisations.filter(pk=planner.organisation_id)
        self.fields["organisation"].queryset = organisations

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_coach_email(self):
        email = self.cleaned_data["coach_email"].strip().lower()
        coach = Member.objects.active().visible_to(self.planner).filter(email=email).first()
        if coach is None:
            raise forms.ValidationError(_("Personne de visible ne répond à cette adresse."))
        return coach

    def clean_time_zone(self):
        return known_time_zone(self.cleaned_data["time_zone"])

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity < self.confirmed:
            raise forms.ValidationError(
                _("%(count)s personnes sont déjà inscrites : il faut au moins autant de places.")
                % {"count": self.confirmed}
            )
        return capacity

    def clean(self):
        cleaned = super().clean()
        online, address = cleaned.get("online_url"), (cleaned.get("address") or "").strip()
        cleaned["address"] = address
        if online and (address or cleaned.get("place_name")):
            both = _("Choisissez : un lien de connexion ou un lieu avec son adresse, pas les deux.")
            raise forms.ValidationError(both)
        if not online and not address:
            raise forms.ValidationError(_("Indiquez un lien de connexion ou l’adresse du lieu."))
        zone_name = cleaned.get("time_zone")
        if zone_name:
            for field in ("starts_at", "ends_at"):
                if cleaned.get(field) is not None:
                    cleaned[field] = self._in_zone(field, cleaned[field], ZoneInfo(zone_name))
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("La fin doit venir après le début."))
        return cleaned

    def _in_zone(self, field: str, value: datetime, zone: ZoneInfo) -> datetime | None:
        """The instant the wall clock shows ``value`` in ``zone``; a time skipped by the change of hour is an error."""
        if value.tzinfo is not None:
            return value.astimezone(zone)
        aware = value.replace(tzinfo=zone)
        if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
            self.add_error(field, _("Cette heure n’existe pas ce jour-là (changement d’heure)."))
            return None
        return aware

    def session_data(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "organisation": data["organisation"],
            "coach": data["coach_email"],
            "online_url": data["online_url"],
            "place_name": "" if data["online_url"] else data["place_name"].strip(),
            "address": data["address"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "time_zone": data["time_zone"],
            "capacity": data["capacity"],
        }


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Votre note"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("De 1 (décevant) à 5 (excellent)."),
    )
    comment = forms.CharField(
        label=_("Un commentaire"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_comment(self):
        return self.cleaned_data["comment"].strip()


class AttendanceForm(forms.Form):
    """Who came, among the confirmed registrants."""

    present = forms.TypedMultipleChoiceField(
        label=_("Présent·es"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(r.member_id, r.member.full_name or r.member.email) for r in registrations]
        if not self.is_bound:
            self.initial["present"] = [r.member_id for r in registrations if r.attended]


class CampaignForm(forms.Form):
    """A campaign: what it is about, who it speaks to and when its prompts go out."""

    name = forms.CharField(label=_("Nom de la campagne"), max_length=160)
    description = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce que la campagne propose et pourquoi. Markdown accepté : **gras**, *italique*, listes, liens."),
    )
    audience = forms.ChoiceField(label=_("À qui s’adresse-t-elle ?"), widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Pour une campagne adressée à toute une organisation."),
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Équipes"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Pour une campagne adressée à une ou plusieurs équipes d’une même organisation."),
    )
    circles = forms.ModelMultipleChoiceField(
        label=_("Cercles"),
        queryset=Circle.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Pour une campagne adressée aux membres d’un ou de plusieurs cercles."),
    )
    weekday = forms.TypedChoiceField(label=_("Jour d’envoi"), coerce=int, choices=Weekday.choices, initial=0)
    send_time = forms.TimeField(
        label=_("Heure d’envoi"),
        initial=time(9),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("L’heure affichée par l’horloge, en hiver comme en été."),
    )
    time_zone = forms.CharField(
        label=_("Fuseau horaire"),
        max_length=64,
        help_text=_("Celui de l’heure d’envoi, par exemple Europe/Paris ou America/Martinique."),
    )
    starts_on = forms.DateField(
        label=_("Début"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Une fois la campagne lancée, le premier thème part au premier jour d’envoi à partir de cette date."
        ),
    )
    reminder_days = forms.IntegerField(
        label=_("Rappel au bout de (jours)"),
        min_value=0,
        max_value=6,
        initial=2,
        help_text=_(
            "Les personnes qui n’ont pas encore répondu reçoivent un rappel ce nombre de jours après l’envoi, "
            "à la même heure. 0 : pas de rappel."
        ),
    )

    def __init__(self, *args, animator, campaign: Campaign | None = None, **kwargs):
        if campaign is not None:
            initial = {
                name: getattr(campaign, name)
                for name in ("name", "description", "audience", "weekday", "send_time", "time_zone", "starts_on")
            }
            initial.update(
                organisation=campaign.organisation_id,
                teams=[team.pk for team in campaign.teams.all()],
                circles=[circle.pk for circle in campaign.circles.all()],
                reminder_days=campaign.reminder_days,
            )
        else:
            initial = {
                "audience": AudienceKind.ORGANISATION,
                "organisation": animator.organisation_id,
                "time_zone": settings.TIME_ZONE,
                "starts_on": timezone.localdate(),
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        kinds = AudienceKind.choices
        if not animator.is_network_admin:
            kinds = [choice for choice in kinds if choice[0] != AudienceKind.NETWORK]
        self.fields["audience"].choices = kinds
        organisations = Organisation.objects.order_by("name")
        if not animator.is_network_admin:
            organisations = organisations.filter(pk=animator.organisation_id)
        self.fields["organisation"].queryset = organisations
        self.fields["teams"].queryset = (
            Team.objects.filter(organisation__in=organisations)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        if animator.is_network_admin:
            self.fields["teams"].label_from_instance = lambda team: f"{team.organisation.name} — {team.name}"
        # Closed circles are no audience for a new campaign, but one already chosen stays choosable.
        chosen = campaign.circles.values("pk") if campaign is not None else []
        self.fields["circles"].queryset = (
            Circle.objects.visible_to(animator)
            .filter(Q(status=CircleStatus.ACTIVE) | Q(pk__in=chosen))
            .order_by("name", "pk")
        )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Donnez un nom à la campagne."))
        return name

    def clean_time_zone(self):
        return known_time_zone(self.cleaned_data["time_zone"])

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        unchanged = self.campaign is not None and self.campaign.starts_on == starts_on
        if not unchanged and starts_on < timezone.localdate():
            raise forms.ValidationError(_("Choisissez aujourd’hui ou une date à venir."))
        return starts_on

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("audience")
        organisation = cleaned.get("organisation")
        teams, circles = list(cleaned.get("teams") or []), list(cleaned.get("circles") or [])
        if kind == AudienceKind.NETWORK:
            organisation, teams, circles = None, [], []
        elif kind == AudienceKind.ORGANISATION:
            teams, circles = [], []
            if organisation is None:
                self.add_error("organisation", _("Choisissez l’organisation à qui s’adresse la campagne."))
        elif kind == AudienceKind.TEAMS:
            circles = []
            organisations = {team.organisation for team in teams}
            if not teams:
                self.add_error("teams", _("Choisissez au moins une équipe."))
            elif len(organisations) > 1:
                self.add_error("teams", _("Choisissez des équipes d’une même organisation."))
            else:
                organisation = organisations.pop()
        elif kind == AudienceKind.CIRCLES:
            teams = []
            organisations = {circle.organisation for circle in circles}
            if not circles:
                self.add_error("circles", _("Choisissez au moins un cercle."))
            # Circles of several organisations (or of the network) make a campaign of the network.
            organisation = organisations.pop() if len(organisations) == 1 else None
        cleaned.update(organisation=organisation, teams=teams, circles=circles)
        return cleaned

    def campaign_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*CAMPAIGN_FIELDS, "teams", "circles")}


class PromptForm(forms.Form):
    """One theme of a campaign: what to discuss, and something to read or watch."""

    theme = forms.CharField(
        label=_("Thème"),
        max_length=160,
        help_text=_("En quelques mots, par exemple « Dire ce qui va bien »."),
    )
    question = forms.CharField(
        label=_("Question à discuter"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown accepté : **gras**, *italique*, listes, liens."),
    )
    resource_url = forms.URLField(
        label=_("Ressource"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Facultatif : un lien vers un article, une vidéo ou une fiche pour aller plus loin."),
    )

    def clean_theme(self):
        theme = " ".join(self.cleaned_data["theme"].split())
        if not theme:
            raise forms.ValidationError(_("Donnez un thème."))
        return theme

    def clean_question(self):
        question = self.cleaned_data["question"].strip()
        if not question:
            raise forms.ValidationError(_("Posez la question à discuter."))
        return question


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Votre réponse"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown accepté : **gras**, *italique*, listes, liens."),
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("La réponse est vide."))
        return body
