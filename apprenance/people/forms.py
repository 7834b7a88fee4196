import csv
import io

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from apprenance.core.text import fold
from apprenance.core.widgets import QuickSelect
from apprenance.people.models import SPOKEN_LANGUAGES, Member, Organisation, Role, Team, World

MAX_INVITATIONS_PER_FILE = 500


def validate_image_size(image):
    if image and image.size > settings.MAX_IMAGE_BYTES:
        raise ValidationError(
            _("L’image pèse %(size)s Mo ; la limite est de %(limit)s Mo."),
            params={"size": round(image.size / 1_048_576, 1), "limit": settings.MAX_IMAGE_BYTES // 1_048_576},
        )
    return image


def throttled_username(request, credentials) -> str:
    """The address a sign-in attempt is for, normalised so that « Claire@… » and « claire@… » count together."""
    source = credentials if credentials and credentials.get("username") else request.POST
    return (source.get("username") or "").strip().lower()


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie et réessayez."),
        "inactive": _("Ce compte a été désactivé. Adressez-vous à l’administrateur de votre organisation."),
    }


class ProfileForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Langues parlées"), choices=SPOKEN_LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Member
        fields = ["first_name", "last_name", "job_title", "bio", "photo", "languages", "profile_visibility"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 6}),
            "profile_visibility": forms.RadioSelect,
        }
        help_texts = {
            "bio": _("Quelques phrases sur ce que vous faites et ce que vous aimez partager. Markdown accepté."),
            "profile_visibility": _(
                "« Mon organisation seulement » masque votre profil aux membres des autres organisations du réseau."
            ),
        }

    def clean_photo(self):
        return validate_image_size(self.cleaned_data.get("photo"))

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom"), required=False, max_length=100)
    organisation = forms.CharField(label=_("Organisation"), required=False, widget=QuickSelect)
    team = forms.ModelChoiceField(label=_("Équipe"), queryset=Team.objects.none(), required=False, widget=QuickSelect)
    world = forms.ChoiceField(
        label=_("Monde"), choices=[("", _("Tous")), *World.choices], required=False, widget=QuickSelect
    )

    def __init__(self, *args, organisation_options: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_slugs = {slug for slug, _name in organisation_options}
        self.fields["organisation"].widget.options = [("", _("Toutes")), *organisation_options]
        self.fields["team"].empty_label = _("Toutes")
        organisation_slug = self.data.get("organisation")
        if organisation_slug:
            self.fields["team"].queryset = Team.objects.filter(organisation__slug=organisation_slug)
        team = self.data.get("team")
        if team and not (team.isdigit() and self.fields["team"].queryset.filter(pk=team).exists()):
            # A team left selected from the previous organisation: drop it rather than fail.
            self.data = self.data.copy()
            self.data.pop("team")

    def clean_organisation(self):
        slug = self.cleaned_data["organisation"]
        if slug and slug not in self.organisation_slugs:
            raise ValidationError(_("Cette organisation n’existe pas."))
        return slug

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("organisation"):
            queryset = queryset.filter(organisation__slug=data["organisation"])
        if data.get("team"):
            queryset = queryset.filter(memberships__team=data["team"])
        if data.get("world"):
            queryset = queryset.filter(organisation__world=data["world"])
        return queryset


def read_email_file(uploaded) -> list[str]:
    """Addresses from a CSV as Excel writes it: ``;`` or ``,``, UTF-8 (with or without BOM) or cp1252."""
    raw = uploaded.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=";,\t").delimiter
    except csv.Error:  # a single column has nothing to sniff
        delimiter = ";" if text.count(";") >= text.count(",") else ","
    emails, errors = [], []
    for line_number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [cell.strip().strip('"').strip() for cell in row if cell.strip()]
        if not cells:
            continue
        candidates = [cell for cell in cells if "@" in cell]
        if not candidates:
            if line_number == 1:  # a header row such as "email;nom"
                continue
            errors.append(_("ligne %(line)s : aucune adresse e-mail") % {"line": line_number})
            continue
        for cell in candidates:
            try:
                validate_email(cell)
            except ValidationError:
                errors.append(
                    _("ligne %(line)s : « %(value)s » n’est pas une adresse valide")
                    % {"line": line_number, "value": cell}
                )
            else:
                emails.append(cell.lower())
    if errors:
        raise ValidationError(errors)
    return emails


class InvitationForm(forms.Form):
    emails = forms.CharField(
        label=_("Adresses e-mail"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Une ou plusieurs adresses, séparées par des virgules, des points-virgules ou des retours à la ligne."
        ),
    )
    file = forms.FileField(
        label=_("Ou un fichier CSV"),
        required=False,
        help_text=_("Export Excel ou tableur : séparateur « ; » ou « , », encodage UTF-8 ou Windows (cp1252)."),
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, initial=Role.MEMBER)
    teams = forms.ModelMultipleChoiceField(
        label=_("Équipes"), queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organisation, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["teams"].queryset = organisation.teams.all()
        if not inviter.is_network_admin:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.NETWORK_ADMIN]

    def clean_emails(self):
        text = self.cleaned_data["emails"]
        emails, errors = [], []
        for value in text.replace(";", ",").replace("\n", ",").split(","):
            value = value.strip()
            if not value:
                continue
            try:
                validate_email(value)
            except ValidationError:
                errors.append(_("« %(value)s » n’est pas une adresse valide") % {"value": value})
            else:
                emails.append(value.lower())
        if errors:
            raise ValidationError(errors)
        return emails

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            return []
        if uploaded.size > 1_048_576:
            raise ValidationError(_("Le fichier dépasse 1 Mo."))
        return read_email_file(uploaded)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        emails = list(dict.fromkeys(cleaned.get("emails", []) + cleaned.get("file", [])))
        if not emails:
            raise ValidationError(_("Indiquez au moins une adresse e-mail ou joignez un fichier."))
        if len(emails) > MAX_INVITATIONS_PER_FILE:
            raise ValidationError(
                _("%(count)s adresses : c’est plus que les %(limit)s permises en un envoi.")
                % {"count": len(emails), "limit": MAX_INVITATIONS_PER_FILE}
            )
        members = sorted(Member.objects.filter(email__in=emails).values_list("email", flat=True))
        if members:
            raise ValidationError(
                ngettext(
                    "Cette personne a déjà un compte : %(emails)s. Retirez-la de la liste.",
                    "Ces personnes ont déjà un compte : %(emails)s. Retirez-les de la liste.",
                    len(members),
                )
                % {"emails": ", ".join(members)}
            )
        cleaned["all_emails"] = emails
        return cleaned


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=80)
    last_name = forms.CharField(label=pgettext_lazy("family name", "Nom"), max_length=80)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 8 caractères, pas uniquement des chiffres, et pas trop proche de votre nom."),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        elif password1:
            candidate = Member(
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
    teams = forms.ModelMultipleChoiceField(
        label=_("Équipes"), queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("Peut se connecter"), required=False)

    def __init__(self, *args, member, admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.member, self.admin = member, admin
        self.fields["teams"].queryset = member.organisation.teams.all()
        if not admin.is_network_admin:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.NETWORK_ADMIN]

    def clean(self):
        cleaned = super().clean()
        if self.member.pk == self.admin.pk:
            if cleaned.get("role") != self.member.role:
                self.add_error("role", _("Vous ne pouvez pas modifier votre propre rôle."))
            if not cleaned.get("is_active"):
                self.add_error("is_active", _("Vous ne pouvez pas désactiver votre propre compte."))
        if self.member.role == Role.NETWORK_ADMIN and not self.admin.is_network_admin:
            self.add_error("role", _("Seul un administrateur du réseau peut modifier ce compte."))
        return cleaned


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "parent", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        parents = organisation.teams.all()
        if self.instance.pk:
            parents = parents.exclude(pk__in=self._descendants_and_self())
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = _("Aucune (équipe de premier niveau)")

    def _descendants_and_self(self):
        found, frontier = {self.instance.pk}, {self.instance.pk}
        while frontier:
            frontier = set(Team.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
            found |= frontier
        return found

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        # Compared folded in Python: SQLite's case-insensitive match ignores accented capitals.
        others = Team.objects.filter(organisation=self.instance.organisation).exclude(pk=self.instance.pk)
        if fold(name) in {fold(other) for other in others.values_list("name", flat=True)}:
            raise ValidationError(_("Une équipe porte déjà ce nom dans l’organisation."))
        return name


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "world", "kind", "territory", "description", "logo"]
        fields += ["experts_per_question", "solicitations_per_week"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "experts_per_question": _("Combien de personnes du réseau sont prévenues de chaque question posée ici."),
            "solicitations_per_week": _("Au-delà, une personne de l’organisation n’est plus sollicitée cette semaine."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left blank, the routing settings keep their value.
        for name in ("experts_per_question", "solicitations_per_week"):
            self.fields[name].required = False

    def clean_logo(self):
        return validate_image_size(self.cleaned_data.get("logo"))

    def _routing_setting(self, name: str, lowest: int) -> int:
        value = self.cleaned_data.get(name)
        if value is None:
            return getattr(self.instance, name)
        if not lowest <= value <= 20:
            raise forms.ValidationError(_("Choisissez un nombre entre %(lowest)s et 20."), params={"lowest": lowest})
        return value

    def clean_experts_per_question(self):
        return self._routing_setting("experts_per_question", 1)

    def clean_solicitations_per_week(self):
        return self._routing_setting("solicitations_per_week", 0)


class EraseAccountForm(forms.Form):
    """Erasing one's own account asks for one's password: the step cannot be undone."""

    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Pour confirmer que c’est bien vous."),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise ValidationError(_("Ce mot de passe n’est pas le bon."))
        return password
