"""The practices sections of the network file: all-or-nothing, idempotent, exported back as is."""

import copy

import pytest

from apprenance.people.network import NetworkFileError, export_network, import_network
from apprenance.practices.models import Adoption, Comment, Practice, Reaction, Stage, ToolkitItem

pytestmark = pytest.mark.django_db

NETWORK = {
    "format": "apprenance-network",
    "version": 1,
    "organisations": [
        {"slug": "mairie", "name": "Mairie", "world": "public_action", "teams": [{"name": "Accueil"}]},
        {"slug": "banque", "name": "Banque", "world": "economy", "teams": [{"name": "Agence"}]},
    ],
    "members": [
        {"email": "ana@mairie.example", "first_name": "Ana", "last_name": "A", "organisation": "mairie"},
        {"email": "bo@banque.example", "first_name": "Bo", "last_name": "B", "organisation": "banque"},
        {"email": "cy@banque.example", "first_name": "Cy", "last_name": "C", "organisation": "banque"},
    ],
    "practices": [
        {
            "ref": "p1",
            "title": "Un café d’accueil",
            "kind": "ritual",
            "context": "Les arrivants restaient seuls.",
            "what_we_did": "Un café le premier matin.",
            "results": "Ils osent demander.",
            "author": "ana@mairie.example",
            "team": "Accueil",
            "visibility": "network",
            "status": "published",
            "tags": ["accueil"],
            "skills": ["Accueillir un nouvel arrivant"],
            "created_at": "2026-03-02T09:00:00+01:00",
        }
    ],
    "comments": [
        {"ref": "c1", "practice": "p1", "author": "bo@banque.example", "body": "Bonne idée"},
        {"ref": "c2", "practice": "p1", "author": "ana@mairie.example", "body": "Merci", "reply_to": "c1"},
    ],
    "reactions": [{"practice": "p1", "member": "bo@banque.example", "kind": "useful"}],
    "adoptions": [
        {"practice": "p1", "member": "bo@banque.example", "team": "Agence", "outcome": "worked", "note": "Top"}
    ],
    "toolkits": [
        {
            "slug": "mallette",
            "title": "La mallette",
            "curator": "cy@banque.example",
            "sections": [{"title": "Accueil", "items": [{"practice": "p1", "note": "À essayer."}]}],
        }
    ],
}


def test_import_creates_everything_and_a_second_import_changes_nothing():
    import_network(copy.deepcopy(NETWORK))
    created = Practice.objects.get(ref="p1")
    assert (created.adoption_count, created.comment_count, created.useful_count) == (1, 2, 1)
    assert created.stage == Stage.RETAINED
    assert Comment.objects.get(ref="c2").parent.ref == "c1"
    report = import_network(copy.deepcopy(NETWORK))
    assert not report.changed
    assert (Practice.objects.count(), Comment.objects.count(), Reaction.objects.count()) == (1, 2, 1)
    assert (Adoption.objects.count(), ToolkitItem.objects.count()) == (1, 1)


def test_imported_practices_are_searchable(people, signed_in):
    import_network(copy.deepcopy(NETWORK))
    from apprenance.people.models import Member

    client = signed_in(Member.objects.get(email="cy@banque.example"))
    assert client.get("/api/v1/practices/", {"q": "cafe"}).json()["items"][0]["title"] == "Un café d’accueil"


def test_the_export_imports_back_unchanged():
    import_network(copy.deepcopy(NETWORK))
    exported = export_network()
    assert not import_network(copy.deepcopy(exported)).changed
    assert export_network() == exported


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["practices"][0].update(author="nobody@example.org"), "practices[0].author: no member"),
        (lambda d: d["practices"][0].update(team="Agence"), "practices[0].team: no team named 'Agence' in 'mairie'"),
        (lambda d: d["practices"][0].update(kind="poem"), "practices[0].kind: must be one of"),
        (lambda d: d["practices"][0].pop("title"), "practices[0].title: is required"),
        (lambda d: d["practices"][0].update(created_at="hier"), "practices[0].created_at: must be an ISO 8601"),
        (lambda d: d["comments"][0].update(practice="p9"), "comments[0].practice: no practice with ref 'p9'"),
        (lambda d: d["comments"][1].update(reply_to="c9"), "comments[1].reply_to: no top-level comment"),
        (lambda d: d["reactions"][0].update(member="ana@mairie.example"), "reactions[0].member: members do not"),
        (lambda d: d["adoptions"][0].update(outcome="maybe"), "adoptions[0].outcome: must be one of"),
        (lambda d: d["adoptions"].append(dict(d["adoptions"][0])), "adoptions[1]: the same member adopts"),
        (lambda d: d.update(toolkits="x"), "toolkits: must be a list"),
    ],
)
def test_a_bad_record_is_reported_with_its_path_and_nothing_is_written(change, message):
    data = copy.deepcopy(NETWORK)
    change(data)
    with pytest.raises(NetworkFileError) as raised:
        import_network(data)
    assert any(problem.startswith(message) for problem in raised.value.problems), raised.value.problems
    assert not Practice.objects.exists()
