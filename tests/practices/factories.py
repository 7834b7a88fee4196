from apprenance.practices import services


def practice(author, *, publish=True, **fields):
    """A practice written through the service, as a member would (indexed, with its meaning)."""
    data = {
        "title": "Un rituel du lundi matin",
        "kind": "ritual",
        "context": "L’équipe se croisait sans se parler.",
        "what_we_did": "Dix minutes debout chaque lundi, chacun dit sa priorité.",
        "results": "On sait qui fait quoi.",
        "difficulties": "",
        "victories": "",
        "team": author.teams.first(),
        "visibility": "network",
        "tags": [],
        "skills": [],
    }
    data.update(fields)
    return services.create_practice(author, data, publish=publish)
