import pytest
from django.urls import reverse

from apprenance.core.activity import record
from apprenance.core.markdown import render_markdown
from apprenance.core.models import AppendOnlyError, Event
from apprenance.core.text import fold

pytestmark = pytest.mark.django_db


def test_markdown_renders_formatting():
    html = render_markdown("# Titre\n\nUn **rituel** et une [ressource](https://exemple.fr).")
    assert "<h1>Titre</h1>" in html
    assert "<strong>rituel</strong>" in html
    assert 'href="https://exemple.fr"' in html
    assert 'rel="noopener noreferrer nofollow ugc"' in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[clic](javascript:alert(1))",
        '<a href="javascript:alert(1)">clic</a>',
        "<iframe src='https://evil.example'></iframe>",
    ],
)
def test_markdown_lets_no_script_through(attack):
    html = render_markdown(attack)
    # Raw HTML may survive only as escaped text: no live tag, handler or javascript: link.
    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert '<a href="javascript' not in html


def test_fold_ignores_case_and_accents():
    assert fold("Élodie LEFÈVRE") == fold("elodie lefevre")
    assert fold("Réunion d’équipe") == "reunion d'equipe"


def test_record_writes_an_event_with_the_organisation_of_the_target(people):
    event = record(people.owner, "team.updated", people.team, field="name")
    assert event.organisation == people.organisation
    assert event.object_type == "people.team"
    assert event.object_id == people.team.pk
    assert event.payload == {"field": "name"}


def test_the_activity_log_is_append_only(people):
    event = record(people.owner, "member.profile_updated", people.owner)
    event.verb = "autre"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.all().update(verb="x")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()


def test_health_answers_without_sign_in(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_home_greets_the_member_and_shows_their_teams(people, signed_in):
    response = signed_in(people.owner).get(reverse("core:home"))
    assert "Bonjour Claire" in response.text
    assert "État civil" in response.text


def test_pages_are_french_by_default_and_switch_to_english(people, signed_in):
    client = signed_in(people.owner)
    assert '<html lang="fr">' in client.get(reverse("people:directory")).text
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("people:directory")})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get(reverse("people:directory")).text


def test_an_english_browser_still_gets_french_until_the_member_switches(people, signed_in):
    response = signed_in(people.owner).get(reverse("people:directory"), headers={"Accept-Language": "en-GB,en"})
    assert '<html lang="fr">' in response.text
    assert "Annuaire du réseau" in response.text


def test_unknown_urls_are_404(people, signed_in):
    assert signed_in(people.owner).get("/nulle-part/").status_code == 404


def test_navigation_marks_the_current_area(people, signed_in):
    response = signed_in(people.owner).get(reverse("people:directory"))
    assert f'<a href="{reverse("people:directory")}" aria-current="page">' in response.text
    # The directory is under « Réseau », which shows it is the current heading; « Communauté » does not.
    assert '<summary class="current">Réseau</summary>' in response.text
    assert "<summary>Communauté</summary>" in response.text


def test_the_community_areas_are_gathered_under_one_heading(people, signed_in):
    body = signed_in(people.owner).get(reverse("core:home")).text
    community = body[body.index("<summary>Communauté</summary>") : body.index("<summary>Réseau</summary>")]
    for name in ("community:circles", "community:sessions", "community:challenges", "community:campaigns"):
        assert f'href="{reverse(name)}"' in community


def test_not_found_and_forbidden_pages_are_in_french_with_the_layout(people, signed_in, settings):
    settings.DEBUG = False
    client = signed_in(people.owner)
    missing = client.get("/organisations/nulle-part/")
    assert missing.status_code == 404
    assert "Page introuvable" in missing.text
    assert 'aria-label="Navigation principale"' in missing.text
    forbidden = client.get(reverse("people:manage", args=["mairie-vernay"]))
    assert forbidden.status_code == 403
    assert "Accès refusé" in forbidden.text


def test_home_shows_the_network_figures_and_follows_changes(people, signed_in):
    client = signed_in(people.owner)
    text = " ".join(client.get(reverse("core:home")).text.split())
    assert "Le réseau réunit 7 personnes." in text
    assert "Elles viennent de 2 organisations." in text
    assert "Action publique : 1" in text
    signed_in(people.admin).post(
        reverse("people:manage_member", args=["mairie-vernay", people.colleague.pk]), {"role": "member"}
    )  # deactivates the colleague
    text = " ".join(signed_in(people.owner).get(reverse("core:home")).text.split())
    assert "Le réseau réunit 6 personnes." in text
