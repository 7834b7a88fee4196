from apprenance.questions import services
from apprenance.questions.forms import QuestionForm
from tests.practices.factories import practice

# Practices on a few themes, worded as managers would write them.
THEMES = {
    "entretien": [
        (
            "Préparer l’entretien annuel avec une grille partagée",
            "Les entretiens annuels tournaient au bilan sans suite.",
            "Une semaine avant, chaque agent reçoit la grille et note ses réussites et ses besoins de formation.",
        ),
        (
            "L’entretien professionnel commence par les envies de l’agent",
            "Les agents subissaient l’entretien d’évaluation.",
            "Je commence par lui demander ce qu’il aimerait apprendre cette année, puis on fixe deux objectifs.",
        ),
        (
            "Un entretien annuel en deux temps",
            "Une heure ne suffisait pas pour faire le point sur l’année et sur l’avenir.",
            "Un premier rendez-vous sur l’année écoulée, un second quinze jours plus tard sur les objectifs.",
        ),
    ],
    "accueil": [
        (
            "Un café d’accueil pour chaque nouvel arrivant",
            "Les nouveaux se sentaient perdus la première semaine.",
            "Chaque nouvel arrivant prend un café avec un parrain qui lui présente l’équipe.",
        ),
    ],
    "reunion": [
        (
            "La réunion d’équipe debout en quinze minutes",
            "Nos réunions du lundi duraient deux heures.",
            "Debout, un tour de table chronométré, chacun dit sa priorité et son point bloquant.",
        ),
    ],
}


def write_on(author, theme: str, count: int | None = None, **fields):
    """Practices by ``author`` on a theme (all of its examples, or the first ``count``)."""
    written = []
    for title, context, what_we_did in THEMES[theme][:count]:
        values = {"title": title, "context": context, "what_we_did": what_we_did, "team": author.teams.first()}
        values.update(fields)
        written.append(practice(author, **values))
    return written


def ask(author, title="Comment fais-tu pour préparer l’entretien annuel d’un agent ?", **fields):
    """A question asked through the form and the service, as on the page."""
    data = {"title": title, "details": "", "visibility": "network", "tags": "", "skills": ""}
    data.update(fields)
    form = QuestionForm(data)
    assert form.is_valid(), form.errors
    return services.ask_question(author, form.question_data())
