"""The kinds of notification and what each says.

Apps add their kinds here as they ship. A kind whose ``many`` is set is grouped: several
notifications about the same target read as one line, naming the first person and how many
others ("Claire et 3 autres personnes ont commenté…").
"""

import functools
from dataclasses import dataclass

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class Frequency(models.TextChoices):
    """How a member wants a kind of notification by e-mail."""

    IMMEDIATE = "immediate", _("Tout de suite")
    DAILY = "daily", _("Dans le résumé quotidien")
    WEEKLY = "weekly", _("Dans le résumé hebdomadaire")
    OFF = "off", _("Jamais par e-mail")


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise  # on the preferences page
    one: Promise  # "%(actor)s … %(target)s"
    many: Promise | None = None  # plural-aware "%(actor)s and %(others)s others … %(target)s"
    default_frequency: str = Frequency.DAILY
    # Light news (reactions, for instance) never warrants an e-mail of its own.
    immediate_allowed: bool = True

    @property
    def frequencies(self) -> list[tuple[str, str]]:
        return [c for c in Frequency.choices if self.immediate_allowed or c[0] != Frequency.IMMEDIATE]

    @property
    def grouped(self) -> bool:
        return self.many is not None

    def sentence(self, *, actor: str, others: int, target: str, data: dict, language: str | None) -> str:
        template = sentence_template(self.key, others, language, tuple(sorted(data)))
        return template % {**data, "actor": actor, "target": target}


@functools.lru_cache(maxsize=1024)
def sentence_template(kind: str, others: int, language: str | None, data_keys: tuple[str, ...]) -> str:
    """A kind's sentence, translated and with its plural form chosen, the names left to fill in.

    Digests word a million lines in one run: translating each line anew would cost more than
    everything else. Formatting every field but ``others`` with its own ``%(name)s`` leaves
    the names (and any data) for the final ``%``.
    """
    kept = {key: f"%({key})s" for key in (*data_keys, "actor", "target")}
    with translation.override(language):
        chosen = KINDS[kind].many if others and KINDS[kind].many is not None else KINDS[kind].one
        return chosen % {**kept, "others": others}


# A digest can be unsubscribed from as a whole, like a kind.
DIGESTS = {
    "digest:daily": (Frequency.DAILY, _("Le résumé quotidien")),
    "digest:weekly": (Frequency.WEEKLY, _("Le résumé hebdomadaire")),
}


def unsubscribe_label(key: str) -> Promise:
    """What an unsubscribe link stops: a kind of notification or a digest."""
    return DIGESTS[key][1] if key in DIGESTS else KINDS[key].label


KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            key="member.joined",
            label=_("Une personne que j’ai invitée rejoint le réseau"),
            one=_("%(actor)s a rejoint %(target)s"),
            many=ngettext_lazy(
                "%(actor)s et %(others)s autre personne ont rejoint %(target)s",
                "%(actor)s et %(others)s autres personnes ont rejoint %(target)s",
                "others",
            ),
        ),
        Kind(
            key="member.role_changed",
            label=_("Mon rôle change dans mon organisation"),
            one=_("%(actor)s vous a attribué le rôle « %(role)s » dans %(target)s"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="practice.commented",
            label=_("Un commentaire sur une pratique que je suis"),
            one=_("%(actor)s a commenté « %(target)s »"),
            many=ngettext_lazy(
                "%(actor)s et %(others)s autre personne ont commenté « %(target)s »",
                "%(actor)s et %(others)s autres personnes ont commenté « %(target)s »",
                "others",
            ),
        ),
        Kind(
            key="practice.useful",
            label=_("Quelqu’un trouve ma pratique utile"),
            one=_("%(actor)s trouve « %(target)s » utile"),
            many=ngettext_lazy(
                "%(actor)s et %(others)s autre personne trouvent « %(target)s » utile",
                "%(actor)s et %(others)s autres personnes trouvent « %(target)s » utile",
                "others",
            ),
            immediate_allowed=False,
        ),
        Kind(
            key="practice.thanks",
            label=_("Quelqu’un me remercie pour ma pratique"),
            one=_("%(actor)s vous remercie pour « %(target)s »"),
            many=ngettext_lazy(
                "%(actor)s et %(others)s autre personne vous remercient pour « %(target)s »",
                "%(actor)s et %(others)s autres personnes vous remercient pour « %(target)s »",
                "others",
            ),
            immediate_allowed=False,
        ),
        Kind(
            key="practice.adopted",
            label=_("Quelqu’un a essayé ma pratique"),
            one=_("%(actor)s a essayé « %(target)s » : %(outcome)s"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="practice.retained",
            label=_("Ma pratique entre dans la mallette"),
            one=_("%(actor)s a retenu « %(target)s » dans la mallette"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        # Someone else (an admin or moderator of the organisation) changed what the member wrote.
        Kind(
            key="moderation.edited",
            label=_("Un·e responsable modifie une de mes contributions"),
            one=_("%(actor)s a modifié votre contribution « %(target)s »"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="moderation.archived",
            label=_("Un·e responsable archive une de mes pratiques"),
            one=_("%(actor)s a archivé votre pratique « %(target)s »"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="moderation.deleted",
            label=_("Un·e responsable supprime une de mes contributions"),
            one=_("%(actor)s a supprimé votre contribution « %(target)s »"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="practice.retired",
            label=_("Ma pratique est retirée"),
            one=_("%(actor)s a retiré « %(target)s »"),
        ),
        Kind(
            key="circle.joined",
            label=_("On me place dans un cercle"),
            one=_("%(actor)s vous a placé·e dans le cercle « %(target)s »"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="circle.posted",
            label=_("Un message dans un de mes cercles"),
            one=_("%(actor)s a écrit dans le cercle « %(target)s »"),
            many=ngettext_lazy(
                "%(actor)s et %(others)s autre personne ont écrit dans le cercle « %(target)s »",
                "%(actor)s et %(others)s autres personnes ont écrit dans le cercle « %(target)s »",
                "others",
            ),
        ),
        Kind(
            key="session.changed",
            label=_("Un temps synchrone où je suis inscrit·e change d’horaire ou de lieu"),
            one=_("%(actor)s a changé l’horaire ou le lieu du temps synchrone « %(target)s »"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="session.cancelled",
            label=_("Un temps synchrone où je suis inscrit·e est annulé"),
            one=_("%(actor)s a annulé le temps synchrone « %(target)s »"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="session.promoted",
            label=_("Une place se libère pour moi dans un temps synchrone"),
            one=_("Une place s’est libérée : vous êtes inscrit·e à « %(target)s »"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="session.reminder",
            label=_("Le rappel, la veille d’un temps synchrone"),
            one=_("Rappel : « %(target)s » commence bientôt (%(starts)s)"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="campaign.prompt",
            label=_("Un nouveau thème d’une campagne dont je fais partie"),
            one=_("Campagne « %(campaign)s » : le thème de la semaine est « %(target)s »"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="campaign.reminder",
            label=_("Le rappel d’un thème de campagne auquel je n’ai pas encore répondu"),
            one=_("Rappel : votre avis est attendu sur « %(target)s » (campagne « %(campaign)s »)"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="campaign.answered",
            label=_("Une réponse à un thème d’une campagne que j’anime"),
            one=_("%(actor)s a répondu à « %(target)s » (campagne « %(campaign)s »)"),
            many=ngettext_lazy(
                "%(actor)s et %(others)s autre personne ont répondu à « %(target)s » (campagne « %(campaign)s »)",
                "%(actor)s et %(others)s autres personnes ont répondu à « %(target)s » (campagne « %(campaign)s »)",
                "others",
            ),
        ),
        Kind(
            key="question.solicited",
            label=_("On me demande mon aide sur une question"),
            one=_("%(actor)s aimerait votre avis : « %(target)s »"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="question.answered",
            label=_("Une réponse à une question que je suis"),
            one=_("%(actor)s a répondu à « %(target)s »"),
            many=ngettext_lazy(
                "%(actor)s et %(others)s autre personne ont répondu à « %(target)s »",
                "%(actor)s et %(others)s autres personnes ont répondu à « %(target)s »",
                "others",
            ),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="question.answer_useful",
            label=_("Quelqu’un trouve ma réponse utile"),
            one=_("%(actor)s trouve votre réponse à « %(target)s » utile"),
            many=ngettext_lazy(
                "%(actor)s et %(others)s autre personne trouvent votre réponse à « %(target)s » utile",
                "%(actor)s et %(others)s autres personnes trouvent votre réponse à « %(target)s » utile",
                "others",
            ),
            immediate_allowed=False,
        ),
        Kind(
            key="question.answer_accepted",
            label=_("Ma réponse est retenue"),
            one=_("%(actor)s a retenu votre réponse à « %(target)s »"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="question.answer_commented",
            label=_("Un commentaire sur ma réponse"),
            one=_("%(actor)s a commenté votre réponse à « %(target)s »"),
            many=ngettext_lazy(
                "%(actor)s et %(others)s autre personne ont commenté votre réponse à « %(target)s »",
                "%(actor)s et %(others)s autres personnes ont commenté votre réponse à « %(target)s »",
                "others",
            ),
        ),
        Kind(
            key="question.answer_capitalised",
            label=_("Ma réponse devient une pratique"),
            one=_("%(actor)s a fait de votre réponse la pratique « %(target)s »"),
            default_frequency=Frequency.IMMEDIATE,
        ),
        Kind(
            key="question.deleted",
            label=_("Une question à laquelle j’ai répondu est supprimée"),
            one=_("%(actor)s a supprimé la question « %(target)s », et votre réponse avec elle"),
        ),
    )
}
