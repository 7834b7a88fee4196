"""Erasing an account (RGPD, article 17): what only concerns the member goes, what others built on
stays under « Ancien·ne membre », and the account can no longer sign in."""

import pytest
from django.contrib.auth import SESSION_KEY

from apprenance.api.models import ApiToken
from apprenance.community import services as community_services
from apprenance.community import sessions
from apprenance.community.models import CircleMembership, CirclePost, Registration, RegistrationStatus
from apprenance.core.models import Event
from apprenance.notifications.models import Notification
from apprenance.people.models import Member
from apprenance.practices import services as practice_services
from apprenance.practices.models import Comment, Practice
from apprenance.questions import services as question_services
from apprenance.questions.models import Question
from apprenance.skills.services import declare_skill
from tests.community.factories import circle, live_session
from tests.practices.factories import practice
from tests.questions.factories import ask

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-solide"


@pytest.fixture
def history(people):
    """What the owner did, alone or with others."""
    owner, colleague = people.owner, people.colleague
    found = {
        "draft": practice(owner, title="Un brouillon", publish=False),
        "alone": practice(owner, title="Une pratique que personne n’a lue"),
        "commented": practice(owner, title="Le point du lundi"),
        "theirs": practice(colleague, title="La météo de sortie"),
    }
    practice_services.add_comment(colleague, found["commented"], "On l’a reprise.")
    practice_services.toggle_reaction(owner, found["theirs"], "useful")
    found["lonely_comment"] = practice_services.add_comment(owner, found["theirs"], "Bravo.")
    found["answered_comment"] = practice_services.add_comment(owner, found["theirs"], "Combien de temps ?")
    practice_services.add_comment(colleague, found["theirs"], "Cinq minutes.", parent=found["answered_comment"])
    found["lonely_question"] = ask(owner, title="Comment accueillir un stagiaire ?")
    found["answered_question"] = ask(owner, title="Comment préparer un entretien annuel ?")
    question_services.answer_question(people.outsider, found["answered_question"], "Une grille envoyée avant.")
    declare_skill(owner, "Animer une réunion", level="confirmed", can_teach=True)
    ApiToken.issue(owner, "intranet")
    session = live_session(people.animator, capacity=1)
    sessions.register(owner, session)
    sessions.register(colleague, session)  # waiting for the owner's seat
    found["session"] = session
    group = circle(people.animator, [owner, colleague, people.admin])
    community_services.post_to_circle(owner, group, "Bonjour à toutes et tous.")
    return found


def test_a_member_erases_their_account_after_giving_their_password(people, signed_in, history):
    client = signed_in(people.owner)
    page = client.get("/profil/mes-donnees/effacer/").content.decode()
    assert "Ce qui est supprimé" in page
    assert "Ancien·ne membre" in page

    wrong = client.post("/profil/mes-donnees/effacer/", {"password": "pas le bon"})
    assert "Ce mot de passe n’est pas le bon." in wrong.content.decode()
    assert Member.objects.get(pk=people.owner.pk).is_active

    response = client.post("/profil/mes-donnees/effacer/", {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0].startswith("/connexion/")
    assert "Votre compte est effacé." in response.content.decode()
    assert SESSION_KEY not in client.session
    erased = Member.objects.get(pk=people.owner.pk)
    assert (erased.full_name, erased.is_active, erased.has_usable_password()) == ("Ancien·ne membre", False, False)
    assert erased.is_erased
    assert not erased.teams.exists()
    assert not erased.declared_skills.exists()
    assert not ApiToken.objects.filter(member=erased).exists()
    assert not Notification.objects.filter(recipient=erased).exists()
    # The real address is free again: the person can be invited anew.
    assert not Member.objects.filter(email=people.owner.email).exists()
    event = Event.objects.get(verb="member.erased")
    assert event.payload["by_themselves"] is True


def test_what_others_built_on_stays_and_the_rest_goes(people, history):
    from apprenance.people.services import erase_member

    erased = erase_member(people.owner, by=people.owner)

    assert not Practice.objects.filter(pk__in=[history["draft"].pk, history["alone"].pk]).exists()
    assert Practice.objects.get(pk=history["commented"].pk).author_id == people.owner.pk
    theirs = Practice.objects.get(pk=history["theirs"].pk)
    assert theirs.useful_count == 0
    assert not Comment.objects.filter(pk=history["lonely_comment"].pk).exists()
    assert Comment.objects.filter(pk=history["answered_comment"].pk).exists()
    assert theirs.comment_count == Comment.objects.filter(practice=theirs).count() == 2
    assert not Question.objects.filter(pk=history["lonely_question"].pk).exists()
    assert Question.objects.filter(pk=history["answered_question"].pk).exists()
    # The owner's seat went to the colleague waiting for it.
    assert not Registration.objects.filter(member=people.owner).exists()
    assert Registration.objects.get(session=history["session"], member=people.colleague).status == (
        RegistrationStatus.CONFIRMED
    )
    assert not CircleMembership.objects.filter(member=people.owner).exists()
    assert not CirclePost.objects.filter(author=people.owner).exists()
    assert erased["practices"]["practices"] == 2
    assert erased["questions"]["questions"] == 1


def test_an_admin_erases_a_member_of_their_organisation_only(people, signed_in, history):
    client = signed_in(people.admin)
    url = f"/organisations/{people.organisation.slug}/gestion/membres/{people.owner.pk}/effacer/"
    assert "Effacer les données de" in client.get(url).content.decode()
    manage = client.get(f"/organisations/{people.organisation.slug}/gestion/membres/{people.owner.pk}/")
    assert url in manage.content.decode()
    elsewhere = f"/organisations/{people.other_organisation.slug}/gestion/membres/{people.outsider.pk}/effacer/"
    assert client.post(elsewhere).status_code in (403, 404)
    assert Member.objects.get(pk=people.outsider.pk).is_active

    response = client.post(url, follow=True)

    assert "sont effacées." in response.content.decode()
    assert Member.objects.get(pk=people.owner.pk).is_erased
    assert Event.objects.get(verb="member.erased").actor == people.admin
    # Nothing is left to manage, nor to bring back.
    again = client.post(
        f"/organisations/{people.organisation.slug}/gestion/membres/{people.owner.pk}/",
        {"role": "member", "is_active": "on"},
        follow=True,
    )
    assert "Ce compte a été effacé." in again.content.decode()
    assert not Member.objects.get(pk=people.owner.pk).is_active
    assert "Ce compte a été effacé." in client.get(url, follow=True).content.decode()


def test_the_last_admin_of_an_organisation_is_asked_to_name_another_first(people, signed_in):
    client = signed_in(people.admin)
    page = client.get("/profil/mes-donnees/effacer/").content.decode()
    assert "la seule personne à administrer Mairie de Vernay" in page
    client.post("/profil/mes-donnees/effacer/", {"password": PASSWORD})
    assert Member.objects.get(pk=people.admin.pk).is_active


def test_what_stays_is_credited_to_a_former_member_without_a_link_to_a_missing_profile(people, signed_in, history):
    from apprenance.people.services import erase_member

    erase_member(people.owner, by=people.owner)
    page = signed_in(people.colleague).get(history["commented"].get_absolute_url()).content.decode()
    assert "Ancien·ne membre" in page
    assert f'href="/membres/{people.owner.pk}/"' not in page
