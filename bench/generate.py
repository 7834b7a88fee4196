"""A large, deterministic network in the ``apprenance-network`` JSON format (see apprenance/people/network.py).

    python -m bench.generate --members 50000 --output var/bench/network.json

The same parameters and seed always give the same file, so runs compare like with like.
"""

import argparse
import json
import random
import re
import unicodedata
from pathlib import Path

SEED = 20240917


def _listed(text: str) -> list[str]:
    """Long word lists are written as prose: one item per line would make this file unreadable."""
    return [item.strip() for item in text.split(",")]


WORLDS = ["civil_society", "public_action", "economy", "science"]

# Kinds of organisation per world; the name is "<kind> de <place>".
KINDS = {
    "civil_society": ["Association", "Centre social", "Maison des jeunes", "Fondation", "Collectif"],
    "public_action": ["Mairie", "Communauté de communes", "Département", "Médiathèque", "Centre hospitalier"],
    "economy": ["Coopérative", "Entreprise", "Atelier", "Chambre des métiers", "Société"],
    "science": ["Laboratoire", "Université", "Institut", "Observatoire", "École d’ingénieurs"],
}
PLACES = _listed(
    "Arnelle, Vernay, Saint-Aubin, Montclar, Bellerive, Roche-Noire, Val-Fleuri, Pontarcy, Lessart, "
    "Castelnau, Mirande, Beaulieu, Chantemerle, Fontvieille, Grandpré, Haute-Combe, Lormont, Marsac, "
    "Noirval, Orgelet, Pierrefeu, Quintal, Rivesaltes, Sauveterre, Tournon"
)
TEAM_NAMES = _listed(
    "Direction, Accueil, Communication, Ressources humaines, Finances, Numérique, Logistique, Animation, "
    "Formation, Partenariats, Qualité, Projets, Recherche, Relations usagers, Transition écologique, "
    "Juridique, Bénévolat, Production, Ventes, Innovation"
)
# Ordered from most to least common, so that the search benchmark has a common name to look for.
LAST_NAMES = _listed(
    "Martin, Bernard, Thomas, Petit, Robert, Richard, Durand, Dubois, Moreau, Laurent, Simon, Michel, "
    "Lefebvre, Leroy, Roux, David, Bertrand, Morel, Fournier, Girard, Bonnet, Dupont, Lambert, Fontaine, "
    "Rousseau, Vincent, Muller, Lefèvre, Faure, André, Mercier, Blanc, Guérin, Boyer, Garnier, "
    "Chevalier, François, Legrand, Gauthier, Garcia, Perrin, Robin, Clément, Morin, Nicolas, Henry, "
    "Roussel, Mathieu, Gautier, Masson, Marchand, Duval, Denis, Dumont, Marie, Lemaire, Noël, Meyer, "
    "Dufour, Meunier, Brun, Blanchard, Giraud, Joly, Rivière, Lucas, Brunet, Gaillard, Barbier, Arnaud, "
    "Benali, Nguyen, Le Goff, Le Gall, Diallo, Traoré, Haddad, Da Silva, Kowalski, Yilmaz"
)
FIRST_NAMES = _listed(
    "Marie, Jean, Camille, Léa, Lucas, Chloé, Hugo, Manon, Louis, Inès, Nathan, Emma, Théo, Sarah, "
    "Julien, Claire, Nicolas, Élodie, Karim, Sandrine, Thomas, Céline, Antoine, Julie, Mathieu, Laure, "
    "Pierre, Anne, Sophie, Mehdi, Fatou, Yasmine, Olivier, Nadia, François, Isabelle, Benoît, Hélène, "
    "Romain, Aurélie, Maxime, Pauline, Alexandre, Amina, Vincent, Lucie, Guillaume, Zoé, Sébastien, "
    "Margaux, Bruno, Agnès, Rachid, Océane"
)
JOB_TITLES = _listed(
    "Chargé·e de mission, Responsable d’équipe, Animateur·rice, Directeur·rice, "
    "Assistant·e de direction, Coordinateur·rice de projets, Chargé·e de communication, "
    "Agent·e d’accueil, Comptable, Responsable des ressources humaines, Développeur·se, Chercheur·se, "
    "Ingénieur·e d’études, Conseiller·ère, Éducateur·rice spécialisé·e, Médiateur·rice numérique, "
    "Technicien·ne, Chef·fe de projet, Formateur·rice, Juriste, Bibliothécaire, Infirmier·ère, "
    "Gestionnaire"
)
BIO_OPENINGS = [
    "Je travaille ici depuis quelques années",
    "J’ai rejoint l’équipe après un parcours dans le privé",
    "J’accompagne les collègues au quotidien",
    "Je coordonne des projets entre plusieurs services",
    "Je m’occupe de l’accueil et de l’orientation",
    "Je mène des études de terrain",
]
BIO_ENDINGS = [
    "et j’aime partager ce qui marche.",
    "et je cherche des retours d’expérience sur la conduite du changement.",
    "et je suis curieux·se des pratiques des autres mondes.",
    "et je peux aider sur les outils numériques.",
    "et j’anime volontiers un cercle de pairs.",
    "et j’apprends beaucoup des erreurs partagées.",
]
OTHER_LANGUAGES = ["en", "es", "de", "it", "ar", "pt"]


def ascii_slug(text: str) -> str:
    """Accent-free, lowercase, hyphenated: usable in slugs and e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def _organisation(rng: random.Random, index: int, teams_per_org: int) -> dict:
    world = WORLDS[index % len(WORLDS)]
    kind = rng.choice(KINDS[world])
    place = rng.choice(PLACES)
    name = f"{kind} de {place}"
    team_names = rng.sample(TEAM_NAMES, teams_per_org)
    teams = []
    for position, team_name in enumerate(team_names):
        team = {"name": team_name, "description": f"L’équipe {team_name.lower()} de {name}."}
        # About half the teams hang under an earlier one: the format needs parents first.
        if position >= 2 and rng.random() < 0.5:
            team["parent"] = team_names[rng.randrange(position)]
        teams.append(team)
    return {
        "slug": f"{ascii_slug(kind)}-{ascii_slug(place)}-{index + 1}",
        "name": name,
        "world": world,
        "kind": kind,
        "territory": place,
        "description": f"{name}, membre du réseau apprenant.",
        "teams": teams,
    }


def _organisation_sizes(rng: random.Random, organisations: int, members: int) -> list[int]:
    """Uneven sizes (about 0.3× to 1.7× the mean) that add up to exactly ``members``."""
    weights = [rng.uniform(0.3, 1.7) for _ in range(organisations)]
    total = sum(weights)
    sizes = [int(members * weight / total) for weight in weights]
    for index in range(members - sum(sizes)):
        sizes[index % organisations] += 1
    return sizes


def _member(rng: random.Random, organisation: dict, role: str, emails: set[str]) -> dict:
    # Weighted towards the head of the list, like real surnames: "Martin" is common, "Yilmaz" is rare.
    last_name = rng.choices(LAST_NAMES, weights=[1 / (rank + 4) for rank in range(len(LAST_NAMES))])[0]
    first_name = rng.choice(FIRST_NAMES)
    domain = f"{organisation['slug']}.example"
    local = f"{ascii_slug(first_name)}.{ascii_slug(last_name)}"
    email, number = f"{local}@{domain}", 1
    while email in emails:
        number += 1
        email = f"{local}{number}@{domain}"
    emails.add(email)
    team_names = [team["name"] for team in organisation["teams"]]
    languages = ["fr"] + (rng.sample(OTHER_LANGUAGES, 1) if rng.random() < 0.3 else [])
    return {
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "organisation": organisation["slug"],
        "teams": rng.sample(team_names, 1 if rng.random() < 0.7 else 2),
        "role": role,
        "job_title": rng.choice(JOB_TITLES),
        "bio": f"{rng.choice(BIO_OPENINGS)} {rng.choice(BIO_ENDINGS)}",
        "languages": languages,
        "profile_visibility": "organisation" if rng.random() < 0.1 else "network",
    }


def generate_network(
    organisations: int = 200, teams_per_org: int = 10, members: int = 50_000, seed: int = SEED
) -> dict:
    """The whole network as a dict ready for ``import_network`` or ``json.dump``."""
    rng = random.Random(seed)
    orgs = [_organisation(rng, index, teams_per_org) for index in range(organisations)]
    people, emails = [], set()
    for organisation, size in zip(orgs, _organisation_sizes(rng, organisations, members), strict=True):
        for position in range(size):
            # One admin and a couple of animators per organisation, as a real network would have.
            role = "org_admin" if position == 0 else "animator" if position in (1, 2) else "member"
            people.append(_member(rng, organisation, role, emails))
    return {"format": "apprenance-network", "version": 1, "organisations": orgs, "members": people}


def write_network(path: Path, **parameters) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        json.dump(generate_network(**parameters), handle, ensure_ascii=False)
    return path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--teams-per-org", type=int, default=10)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=Path, default=Path("var/bench/network.json"))
    args = parser.parse_args(argv)
    write_network(
        args.output,
        organisations=args.organisations,
        teams_per_org=args.teams_per_org,
        members=args.members,
        seed=args.seed,
    )
    print(args.output)


if __name__ == "__main__":
    main()
