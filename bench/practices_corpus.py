"""A generated corpus of French practices for the search benchmarks, written straight to the database.

    python -m bench.practices_corpus --practices 100000      # with DJANGO_SETTINGS_MODULE=bench.settings

Titles and paragraphs are drawn from pools of French fragments, so that words recur the way they
do in a real network (some everywhere, most rarely). Each practice's meaning vector is the
normalised sum of its fragments' vectors, each fragment encoded once by the product's encoder:
encoding a million texts one by one would take a day, and the search code reads the stored
vectors exactly as it reads those of real practices.
"""

import argparse
import json
import random
import sys
import time

SEED = 4
ORGANISATIONS = 100
TEAMS_PER_ORGANISATION = 10
MEMBERS_PER_TEAM = 20
BATCH = 5_000

ACTIONS = [
    "Animer", "Raccourcir", "Préparer", "Organiser", "Accueillir", "Réussir", "Simplifier", "Partager",
    "Prévenir", "Suivre", "Décider", "Célébrer", "Former", "Accompagner", "Réorganiser", "Piloter",
    "Transmettre", "Évaluer", "Apaiser", "Écouter", "Déléguer", "Mesurer", "Planifier", "Relancer",
]  # fmt: skip
OBJECTS = [
    "les réunions d’équipe", "l’accueil des nouveaux arrivants", "les entretiens annuels", "la charge de travail",
    "les conflits entre collègues", "le télétravail", "les retours d’expérience", "les décisions collectives",
    "la sécurité sur les chantiers", "l’accueil du public", "les bénévoles", "le tutorat des étudiants",
    "les projets transversaux", "la transmission des savoirs", "les plannings", "les incivilités au guichet",
    "la reconnaissance au travail", "les rituels du lundi", "les points hebdomadaires", "la formation interne",
    "les budgets participatifs", "la relation aux élus", "la qualité de vie au travail", "les outils numériques",
    "le suivi des dossiers", "la communication interne", "les départs en retraite", "le recrutement",
]  # fmt: skip
COMPLEMENTS = [
    "en dix minutes", "sans réunionite", "avec un tableau partagé", "grâce au binômage", "en petits groupes",
    "chaque semaine", "au service état civil", "à l’agence", "sur le chantier", "avec les bénévoles",
    "en mode projet", "à distance", "avec un parrain", "par le jeu", "en trois étapes", "avec les usagers",
]  # fmt: skip
SENTENCES = [
    "L’équipe se croisait sans vraiment se parler.", "Les réunions duraient deux heures et fatiguaient tout le monde.",
    "Nous avons fixé un ordre du jour envoyé la veille.", "Chacun dit en une phrase sa priorité de la semaine.",
    "Un minuteur visible garde le rythme.", "Les nouveaux arrivants se sentaient perdus pendant des semaines.",
    "Un parrain les accueille et leur présente les services.", "Les tensions montaient au guichet le lundi matin.",
    "Nous avons formé l’équipe à désamorcer les situations difficiles.", "La charge de travail était mal répartie.",
    "Un tableau partagé montre qui porte quoi.", "Les décisions traînaient faute de méthode.",
    "Nous décidons désormais par consentement.", "Les accidents évités de justesse n’étaient jamais racontés.",
    "Un quart d’heure sécurité ouvre chaque journée de chantier.", "Les bénévoles partaient au bout de six mois.",
    "Un référent les suit et les remercie régulièrement.", "Les savoirs des anciens partaient avec eux.",
    "Un binôme prépare chaque départ en retraite.", "Les entretiens annuels ressemblaient à un formulaire.",
    "Nous les préparons ensemble, avec une grille simple.", "Le télétravail isolait certains agents.",
    "Un café virtuel réunit l’équipe deux fois par semaine.", "Les courriels du soir épuisaient les managers.",
    "Une charte fixe le droit à la déconnexion.", "Les projets avançaient chacun dans son coin.",
    "Un point mensuel croise les avancées de chacun.", "Les usagers attendaient sans savoir pourquoi.",
    "Un affichage clair explique les délais.", "Le moral de l’équipe était en berne.",
    "Nous célébrons chaque réussite, même petite.", "Personne n’osait parler des erreurs.",
    "Une revue sans reproche analyse ce qui s’est passé.", "Les étudiants décrochaient en première année.",
    "Un tutorat par les pairs les accompagne.", "Le résultat : moins d’absences et plus d’entraide.",
    "Les réunions sont deux fois plus courtes.", "Les arrivants sont autonomes en trois semaines.",
    "Les conflits se règlent avant de s’envenimer.", "Les délais sont tenus et l’équipe respire.",
]  # fmt: skip
QUERY_WORDS = [
    "réunion", "équipe", "accueil", "nouveaux", "arrivants", "entretien", "annuel", "charge", "travail",
    "conflit", "télétravail", "décision", "sécurité", "chantier", "guichet", "bénévoles", "tutorat",
    "retraite", "transmission", "planning", "courriels", "déconnexion", "erreurs", "reconnaissance",
    "parrain", "minuteur", "incivilités", "épuisement", "recrutement", "formation", "projet", "usagers",
    "moral", "entraide", "délais", "binôme", "rituel", "lundi", "consentement", "café",
]  # fmt: skip


def queries(count: int, seed: int = SEED) -> list[str]:
    """``count`` varied queries of two or three words, as members type them."""
    generator = random.Random(seed)
    found = []
    while len(found) < count:
        words = generator.sample(QUERY_WORDS, generator.choice((2, 3)))
        query = " ".join(words)
        if query not in found:
            found.append(query)
    return found


def fragment_vectors():
    """Each fragment's meaning, encoded once."""
    import numpy as np

    from apprenance.core import semantic

    pools = {"action": ACTIONS, "object": OBJECTS, "complement": COMPLEMENTS, "sentence": SENTENCES}
    return {name: np.stack([semantic.passage_vector(text) for text in pool]) for name, pool in pools.items()}


def people():
    """Organisations, teams and members for the authors; returns (member id, organisation id, team id)."""
    from django.contrib.auth.hashers import make_password

    from apprenance.people.models import Member, Membership, Organisation, Team

    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Organisation {n}", slug=f"org-{n}", world="public_action") for n in range(ORGANISATIONS)]
    )
    organisations = list(Organisation.objects.order_by("pk"))
    Team.objects.bulk_create(
        [Team(organisation=o, name=f"Équipe {n}") for o in organisations for n in range(TEAMS_PER_ORGANISATION)]
    )
    teams = list(Team.objects.order_by("pk"))
    password = make_password(None)
    members = [
        Member(
            email=f"auteur{team.pk}-{n}@bench.example",
            first_name="Auteur",
            last_name=f"{team.pk}-{n}",
            organisation_id=team.organisation_id,
            password=password,
        )
        for team in teams
        for n in range(MEMBERS_PER_TEAM)
    ]
    Member.objects.bulk_create(members, batch_size=2000)
    members = list(Member.objects.filter(email__endswith="@bench.example").order_by("pk").values_list("pk", "email"))
    by_email = {email: pk for pk, email in members}
    memberships, authors = [], []
    for team in teams:
        for n in range(MEMBERS_PER_TEAM):
            member_id = by_email[f"auteur{team.pk}-{n}@bench.example"]
            memberships.append(Membership(member_id=member_id, team_id=team.pk))
            authors.append((member_id, team.organisation_id, team.pk))
    Membership.objects.bulk_create(memberships, batch_size=2000)
    return authors


def generate(total: int) -> dict:
    """Write ``total`` published practices and their index; return the timings."""
    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from apprenance.core import search, semantic, statistics
    from apprenance.core.generations import bump
    from apprenance.practices.models import PRACTICES_GENERATION, Practice
    from apprenance.practices.ranking import INDEX

    started = time.perf_counter()
    vectors = fragment_vectors()
    encoded_at = time.perf_counter()
    authors = people()
    generator = random.Random(SEED)
    now = timezone.now()
    index_seconds = 0.0
    for first in range(0, total, BATCH):
        rows, texts = [], []
        for number in range(first, min(total, first + BATCH)):
            action, obj, complement = (generator.randrange(len(pool)) for pool in (ACTIONS, OBJECTS, COMPLEMENTS))
            sentences = generator.sample(range(len(SENTENCES)), 6)
            title = f"{ACTIONS[action]} {OBJECTS[obj]} {COMPLEMENTS[complement]}"
            context, what_we_did, results = (
                " ".join(SENTENCES[s] for s in sentences[:2]),
                " ".join(SENTENCES[s] for s in sentences[2:4]),
                " ".join(SENTENCES[s] for s in sentences[4:]),
            )
            vector = vectors["action"][action] + vectors["object"][obj] + vectors["complement"][complement]
            vector = vector + vectors["sentence"][sentences].sum(axis=0)
            author, organisation, team = authors[number % len(authors)]
            published = now - timezone.timedelta(minutes=number)
            rows.append(
                Practice(
                    title=title,
                    kind="practice",
                    context=context,
                    what_we_did=what_we_did,
                    results=results,
                    author_id=author,
                    organisation_id=organisation,
                    team_id=team,
                    visibility="organisation" if number % 10 == 0 else "network",
                    status="published",
                    created_at=published,
                    updated_at=published,
                    published_at=published,
                    adoption_count=number % 7,
                    embedding=semantic.encode(vector / np.linalg.norm(vector)),
                )
            )
            texts.append((title, f"{context}\n{what_we_did}\n{results}"))
        with transaction.atomic():
            created = Practice.objects.bulk_create(rows)
            if created[0].pk is None:  # SQLite before RETURNING: read the ids back
                last = Practice.objects.order_by("-pk").values_list("pk", flat=True)[: len(rows)]
                for practice, pk in zip(created, sorted(last), strict=True):
                    practice.pk = pk
            indexed = time.perf_counter()
            search.index_many(INDEX, [(p.pk, title, body) for p, (title, body) in zip(created, texts, strict=True)])
            index_seconds += time.perf_counter() - indexed
        print(f"{first + len(rows)} practices", file=sys.stderr, flush=True)
    bump(PRACTICES_GENERATION)
    statistics.refresh()  # as after the product's own bulk imports
    return {
        "practices": total,
        "encode_fragments_seconds": round(encoded_at - started, 1),
        "build_seconds": round(time.perf_counter() - started, 1),
        "index_seconds": round(index_seconds, 1),
    }


def main(argv=None) -> int:
    import django

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--practices", type=int, required=True)
    args = parser.parse_args(argv)
    django.setup()
    print(json.dumps(generate(args.practices)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
