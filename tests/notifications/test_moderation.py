"""Authors hear when someone else (an admin or a moderator) edits, archives or deletes what they wrote."""

import pytest
from django.urls import reverse

from apprenance.notifications.lines import group
from apprenance.notifications.models import Notification
from apprenance.practices.models import Practice
from apprenance.questions import services as question_services
from tests.practices.factories import practice
from tests.practices.test_life import FORM
from tests.questions.factories import ask

pytestmark = pytest.mark.django_db

# The practice form's data, as the edit page posts it, with a new title.
EDIT = {**FORM, "title": "Le point du lundi, revu", "tags": "", "skills": ""}


def received(member, kind):
    return list(Notification.objects.filter(recipient=member, kind=kind))


def test_an_admin_editing_then_archiving_a_practice_tells_its_author(people, signed_in):
    written = practice(people.owner, title="Le point du lundi")
    client = signed_in(people.admin)

    client.post(f"/pratiques/{written.pk}/modifier/", {**EDIT, "team": people.team.pk})
    client.post(f"/pratiques/{written.pk}/archiver/")

    [edited] = received(people.owner, "moderation.edited")
    assert edited.actor == people.admin
    assert edited.target_url == written.get_absolute_url()
    [archived] = received(people.owner, "moderation.archived")
    assert archived.target_label == "Le point du lundi, revu"
    centre = " ".join(signed_in(people.owner).get(reverse("notifications:centre")).content.decode().split())
    assert f"{people.admin.full_name} a modifié votre contribution « Le point du lundi, revu »" in centre
    assert f"{people.admin.full_name} a archivé votre pratique « Le point du lundi, revu »" in centre


def test_authors_editing_or_archiving_their_own_practice_are_not_told(people, signed_in):
    written = practice(people.owner, title="Le point du lundi")
    client = signed_in(people.owner)
    client.post(f"/pratiques/{written.pk}/modifier/", {**EDIT, "team": people.team.pk})
    client.post(f"/pratiques/{written.pk}/archiver/")
    client.post(f"/pratiques/{written.pk}/supprimer/")
    assert not Notification.objects.filter(kind__startswith="moderation.").exists()


def test_a_practice_deleted_by_an_admin_is_named_without_a_link(people, signed_in):
    written = practice(people.owner, title="Le point du lundi")
    signed_in(people.admin).post(f"/pratiques/{written.pk}/supprimer/")
    assert not Practice.objects.exists()

    [deleted] = received(people.owner, "moderation.deleted")
    assert deleted.target_url == ""
    response = signed_in(people.owner).get(reverse("notifications:centre"))
    assert reverse("notifications:open", args=[deleted.pk]) not in response.content.decode()
    assert "a supprimé votre contribution « Le point du lundi »" in " ".join(response.content.decode().split())


def test_a_moderator_editing_or_deleting_questions_and_answers_tells_their_authors(people):
    question = ask(people.owner, title="Comment accueillir un stagiaire ?")
    answer = question_services.answer_question(people.outsider, question, "Un binôme la première semaine.")

    question_services.edit_answer(people.animator, answer, "Un binôme les deux premières semaines.")
    question = question_services.edit_question(
        people.animator,
        question,
        {"title": "Comment bien accueillir un stagiaire ?", "details": "", "visibility": "network"},
    )
    question_services.delete_answer(people.animator, answer)
    question_services.delete_question(people.animator, question)

    assert [n.target_type for n in received(people.outsider, "moderation.edited")] == ["questions.answer"]
    assert [n.target_label for n in received(people.owner, "moderation.edited")] == [
        "Comment bien accueillir un stagiaire ?"
    ]
    assert [n.target_type for n in received(people.outsider, "moderation.deleted")] == ["questions.answer"]
    [deleted] = received(people.owner, "moderation.deleted")
    assert (deleted.target_label, deleted.target_url) == ("Comment bien accueillir un stagiaire ?", "")


def test_the_asker_removing_their_own_question_tells_nobody_of_moderation(people):
    question = ask(people.owner, title="Comment accueillir un stagiaire ?")
    answer = question_services.answer_question(people.outsider, question, "Un binôme la première semaine.")
    question_services.edit_answer(people.outsider, answer, "Un binôme les deux premières semaines.")
    question_services.delete_question(people.owner, question)
    assert not Notification.objects.filter(kind__startswith="moderation.").exists()


def test_those_who_answered_a_deleted_question_are_told_their_answer_went_with_it(people):
    question = ask(people.owner, title="Comment accueillir un stagiaire ?")
    question_services.answer_question(people.outsider, question, "Un binôme la première semaine.")
    question_services.answer_question(people.colleague, question, "Un livret d’accueil.")
    question_services.answer_question(people.owner, question, "Merci à vous deux.")  # the asker's own

    question_services.delete_question(people.owner, question)

    told = Notification.objects.filter(kind="question.deleted")
    assert sorted(n.recipient_id for n in told) == sorted([people.outsider.pk, people.colleague.pk])
    assert all(n.target_url == "" for n in told)
    [line] = group(told.filter(recipient=people.outsider))
    assert line.text == (
        f"{people.owner.full_name} a supprimé la question « Comment accueillir un stagiaire ? », "
        "et votre réponse avec elle"
    )
