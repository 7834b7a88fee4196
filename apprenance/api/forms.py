from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=80,
        help_text=_("Pour vous souvenir de l’outil qui s’en sert, par exemple « Tableau de bord RH »."),
    )

    def clean_name(self):
        return self.cleaned_data["name"].strip()
