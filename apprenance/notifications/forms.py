from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apprenance.notifications.kinds import KINDS


class PreferencesForm(forms.Form):
    """One choice per kind of notification, then quiet hours and the e-mails' language."""

    quiet_start = forms.TimeField(
        label=_("Heures calmes : à partir de"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Aucun e-mail immédiat pendant ces heures ; ils partent à la fin de la plage."),
    )
    quiet_end = forms.TimeField(label=_("jusqu’à"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    language = forms.ChoiceField(label=_("Langue des e-mails"), choices=settings.LANGUAGES)

    def __init__(self, *args, frequencies: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        kind_fields = {
            f"kind_{key}": forms.ChoiceField(
                label=kind.label, choices=kind.frequencies, initial=frequencies[key], widget=forms.RadioSelect
            )
            for key, kind in KINDS.items()
        }
        self.fields = {**kind_fields, **self.fields}

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("quiet_start")) != bool(cleaned.get("quiet_end")):
            raise forms.ValidationError(_("Indiquez le début et la fin des heures calmes, ou ni l’un ni l’autre."))
        return cleaned

    @property
    def frequencies(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"kind_{key}"] for key in KINDS}
