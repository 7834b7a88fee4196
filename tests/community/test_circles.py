"""A circle's space: who sees it, the thread, the list of circles."""

import json

import pytest

from apprenance.community import services
from apprenance.community.models import CirclePost
from apprenance.core.models import Event
from apprenance.notifications.models import Notification
from tests.community.factories import circle
from tests.people.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(people):
    """A circle of the first organisation, animated by its animator, with the owner and a colleague."""
    return circle(people.animator, [people.owner, people.colleague], organisation=people.organisation)


@pytest.fixture
def across(people):
    """A circle of the whole network, with the owner and the outsider, animated by the network admin."""
    return circle(people.network_admin, [people.owner, people.outsider], name="Cercle du territoire")


def test_members_and_animators_of_the_organisation_see_the_circle_and_its_thread(local, people, signed_in):
    services.post_to_circle(people.owner, local, "Bonjour à **toutes et tous** !")
    for reader in (people.owner, people.colleague, people.animator, people.admin, people.network_admin):
        page = signed_in(reader).get(local.get_absolute_url())
        assert page.status_code == 200
        body = page.content.decode()
        assert "<strong>toutes et tous</strong>" in body
        assert people.colleague.full_name in body


def test_others_get_a_404_and_never_see_the_circle_in_their_list(local, people, signed_in):
    services.post_to_circle(people.owner, local, "Un message entre nous")
    stranger = MemberFactory(organisation=people.organisation)  # same organisation, not a member
    for reader in (stranger, people.outsider, people.other_admin):
        client = signed_in(reader)
        assert client.get(local.get_absolute_url()).status_code == 404
        assert client.post(f"/cercles/{local.pk}/ecrire/", {"body": "Je m’invite"}).status_code == 404
        assert "Cercle des nouveaux managers" not in client.get("/cercles/").content.decode()
    assert CirclePost.objects.count() == 1


def test_a_network_circle_is_seen_by_its_members_and_the_network_admin_only(across, people, signed_in):
    assert signed_in(people.outsider).get(across.get_absolute_url()).status_code == 200
    assert signed_in(people.network_admin).get(across.get_absolute_url()).status_code == 200
    for reader in (people.colleague, people.animator, people.admin, people.other_admin):
        assert signed_in(reader).get(across.get_absolute_url()).status_code == 404


def test_my_circles_list_shows_mine_and_animators_see_their_organisations(local, across, people, signed_in):
    owner_page = signed_in(people.owner).get("/cercles/").content.decode()
    assert "Cercle des nouveaux managers" in owner_page
    assert "Cercle du territoire" in owner_page
    assert "Former des cercles" not in owner_page
    animator_page = signed_in(people.animator).get("/cercles/").content.decode()
    assert "Cercle des nouveaux managers" in animator_page
    assert "Cercle du territoire" not in animator_page
    assert "Former des cercles" in animator_page
    outsider_page = signed_in(people.outsider).get("/cercles/").content.decode()
    assert "Cercle du territoire" in outsider_page
    assert "Cercle des nouveaux managers" not in outsider_page


def test_the_main_navigation_leads_to_circles(people, signed_in):
    body = signed_in(people.owner).get("/").content.decode()
    assert 'href="/cercles/"' in body


def test_the_list_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for number in range(30):
        circle(
            people.animator, [people.owner, people.colleague], organisation=people.organisation, name=f"Cercle {number}"
        )
    client = signed_in(people.owner)
    with django_assert_max_num_queries(8):
        page = client.get("/cercles/")
    assert page.content.decode().count('class="card"') == 24
    assert "Page 1 sur 2" in page.content.decode()


def test_the_circle_page_runs_a_bounded_number_of_queries(local, people, signed_in, django_assert_max_num_queries):
    for number in range(30):
        post = services.post_to_circle(people.owner, local, f"Message {number}")
        services.post_to_circle(people.colleague, local, f"Réponse {number}", parent=post)
    client = signed_in(people.colleague)
    with django_assert_max_num_queries(12):
        page = client.get(local.get_absolute_url())
    body = page.content.decode()
    assert "Message 29" in body
    assert "Réponse 29" in body
    assert "Message 0<" not in body  # on the second page of the thread


def test_posting_and_replying_notify_the_other_members_and_the_animator(local, people, signed_in):
    client = signed_in(people.owner)
    response = client.post(f"/cercles/{local.pk}/ecrire/", {"body": "Qui a déjà essayé le *co-développement* ?"})
    assert response.status_code == 302
    post = CirclePost.objects.get()
    assert Event.objects.filter(verb="circle.posted", object_id=local.pk, actor=people.owner).exists()
    notified = set(Notification.objects.filter(kind="circle.posted").values_list("recipient_id", flat=True))
    assert notified == {people.colleague.pk, people.animator.pk}
    reply = signed_in(people.colleague).post(f"/cercles/{local.pk}/ecrire/", {"body": "Moi !", "parent": post.pk})
    assert reply.status_code == 302
    assert CirclePost.objects.get(body="Moi !").parent == post
    page = signed_in(people.animator).get(local.get_absolute_url()).content.decode()
    assert "<em>co-développement</em>" in page
    assert "Moi !" in page


def test_scripts_in_messages_never_survive(local, people, signed_in):
    services.post_to_circle(people.owner, local, "<script>alert(1)</script> [lien](javascript:alert(1)) **gras**")
    body = signed_in(people.colleague).get(local.get_absolute_url()).content.decode()
    assert "<strong>gras</strong>" in body
    assert "<script>alert" not in body
    assert 'href="javascript:' not in body


def test_an_empty_message_writes_nothing(local, people, signed_in):
    response = signed_in(people.owner).post(f"/cercles/{local.pk}/ecrire/", {"body": "   "}, follow=True)
    assert "rien n’a été publié" in response.content.decode()
    assert not CirclePost.objects.exists()
    assert not Event.objects.filter(verb="circle.posted").exists()


def test_a_closed_circle_keeps_its_thread_but_takes_no_new_message(local, people, signed_in):
    local.status = "closed"
    local.save(update_fields=["status"])
    client = signed_in(people.owner)
    assert "Publier" not in client.get(local.get_absolute_url()).content.decode()
    assert client.post(f"/cercles/{local.pk}/ecrire/", {"body": "Encore là ?"}).status_code == 403
    assert not CirclePost.objects.exists()


def test_my_data_export_carries_my_circles_and_my_messages_only(local, people, signed_in):
    services.post_to_circle(people.owner, local, "Mon message")
    services.post_to_circle(people.colleague, local, "Le message d’une collègue")
    data = json.loads(signed_in(people.owner).get("/profil/mes-donnees/apprenance-mes-donnees.json").content)
    assert [c["name"] for c in data["circles"]] == ["Cercle des nouveaux managers"]
    assert [p["body"] for p in data["circle_posts"]] == ["Mon message"]


def test_the_circles_pages_speak_english_when_chosen(local, people, signed_in):
    client = signed_in(people.animator)
    client.cookies["django_language"] = "en"
    assert "<h1>Circles</h1>" in client.get("/cercles/").content.decode()
    assert "The circle’s thread" in client.get(local.get_absolute_url()).content.decode()
    assert "Propose circles" in client.get("/cercles/former/").content.decode()
