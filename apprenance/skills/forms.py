from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apprenance.skills.models import MemberSkill

# Beyond this, a list of skills says little about what a member really knows.
MAX_DECLARED = 50


class DeclaredSkillForm(forms.ModelForm):
    """How well the member masters a declared skill, and whether they can teach it."""

    class Meta:
        model = MemberSkill
        fields = ["level", "can_teach"]
        widgets = {"level": forms.RadioSelect}
        labels = {"can_teach": _("Je peux la transmettre")}
        help_texts = {"can_teach": _("Vous accepteriez d’aider un ou une collègue à l’acquérir.")}


class DeclareSkillForm(DeclaredSkillForm):
    """A new skill, named in the member's words (the names already in use are suggested)."""

    name = forms.CharField(
        label=_("Compétence"),
        max_length=60,
        help_text=_("Par exemple « Conduite d’entretien », « Animer une réunion », « Tableur »."),
        widget=forms.TextInput(attrs={"list": "known-skills", "autocomplete": "off"}),
        error_messages={
            "required": _("Nommez la compétence."),
            "max_length": _("Le nom fait 60 caractères au plus."),
        },
    )

    field_order = ["name", "level", "can_teach"]

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        slug = slugify(name)
        if not slug:
            raise forms.ValidationError(_("Écrivez le nom de la compétence avec des lettres ou des chiffres."))
        same = self.member.declared_skills.filter(skill__slug=slug).select_related("skill").first()
        if same is not None:
            raise forms.ValidationError(
                _("Vous déclarez déjà « %(name)s » : changez plutôt son niveau dans la liste."),
                params={"name": same.skill.name},
            )
        if self.member.declared_skills.count() >= MAX_DECLARED:
            raise forms.ValidationError(
                _("Vous déclarez déjà %(count)s compétences : retirez-en une avant d’en ajouter une autre."),
                params={"count": MAX_DECLARED},
            )
        return name
