"""Notifying the experts: the top k available ones, within their weekly cap, each once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apprenance.notifications.models import Notification
from apprenance.notifications.tasks import send_notification_email
from apprenance.questions import services
from apprenance.questions.models import Solicitation
from apprenance.questions.tasks import solicit_experts
from tests.people.factories import MemberFactory
from tests.questions.factories import ask, write_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(people):
    """Four members of the other organisation who wrote on the annual review."""
    found = []
    for count in (3, 2, 2, 1):
        member = MemberFactory(organisation=people.other_organisation)
        write_on(member, "entretien", count=count)
        found.append(member)
    return found


def ranked_experts(question):
    return [row.expert for row in question.solicitations.order_by("rank")]


def solicited(question):
    return set(
        Notification.objects.filter(kind="question.solicited", target_id=question.pk).values_list(
            "recipient_id", flat=True
        )
    )


def test_the_top_k_of_the_ranking_are_notified(people, experts):
    people.organisation.experts_per_question = 2
    people.organisation.save(update_fields=["experts_per_question"])
    question = ask(people.owner)
    ranking = ranked_experts(question)
    assert len(ranking) >= 4
    assert solicit_experts.call(question_id=question.pk) == 2
    assert solicited(question) == {ranking[0].pk, ranking[1].pk}
    notification = Notification.objects.get(kind="question.solicited", recipient=ranking[0])
    assert notification.actor == people.owner
    assert notification.target_url == question.get_absolute_url()


def test_members_over_their_weekly_cap_are_skipped_and_the_next_ones_asked(people, experts):
    people.organisation.experts_per_question = 2
    people.organisation.save(update_fields=["experts_per_question"])
    question = ask(people.owner)
    ranking = ranked_experts(question)
    busiest = ranking[0]
    for number in range(3):  # the other organisation's default cap
        earlier = ask(people.colleague, title=f"Une question déjà posée cette semaine, numéro {number}")
        Solicitation.objects.update_or_create(
            question=earlier, expert=busiest, defaults={"rank": 1, "score": 1.0, "notified_at": timezone.now()}
        )
    assert solicit_experts.call(question_id=question.pk) == 2
    assert solicited(question) == {ranking[1].pk, ranking[2].pk}
    # The ranking shown to the asker stays honest: the busiest expert is still first.
    assert ranked_experts(question)[0] == busiest
    assert Solicitation.objects.get(question=question, expert=busiest).notified_at is None


def test_last_week_solicitations_do_not_count_against_the_cap(people, experts):
    people.organisation.experts_per_question = 1
    people.organisation.save(update_fields=["experts_per_question"])
    question = ask(people.owner)
    first = ranked_experts(question)[0]
    earlier = ask(people.colleague, title="Une question de la semaine dernière sur un autre sujet")
    for number in range(3):
        Solicitation.objects.update_or_create(
            question=earlier if number == 0 else ask(people.colleague, title=f"Une vieille question numéro {number}"),
            expert=first,
            defaults={"rank": 1, "score": 1.0, "notified_at": timezone.now() - timedelta(days=8)},
        )
    assert solicit_experts.call(question_id=question.pk) == 1
    assert solicited(question) == {first.pk}


def test_a_retried_task_notifies_and_emails_each_expert_once(people, experts):
    question = ask(people.owner)
    notified = solicit_experts.call(question_id=question.pk)
    assert notified == 4  # fewer experts than the default five
    assert solicit_experts.call(question_id=question.pk) == 0  # retried: nobody twice
    notifications = Notification.objects.filter(kind="question.solicited", target_id=question.pk)
    assert notifications.count() == 4
    for notification in notifications:
        assert send_notification_email.call(notification_id=notification.pk) == "sent"
        assert send_notification_email.call(notification_id=notification.pk) == "nothing to send"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(member.email for member in experts)
    assert all("aimerait votre avis" in message.subject for message in mail.outbox)


def test_declined_and_paused_experts_are_not_notified(people, experts):
    people.organisation.experts_per_question = 2
    people.organisation.save(update_fields=["experts_per_question"])
    question = ask(people.owner)
    ranking = ranked_experts(question)
    services.decline(ranking[0], question)
    services.set_paused(ranking[1], True)
    assert solicit_experts.call(question_id=question.pk) == 2
    assert solicited(question) == {ranking[2].pk, ranking[3].pk}


def test_asking_enqueues_the_solicitations_once_committed(people, experts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ask(people.owner)
    assert callbacks  # the task is enqueued only when the question is committed
    assert DBTaskResult.objects.filter(task_path="apprenance.questions.tasks.solicit_experts").count() == 1


def test_an_organisation_admin_sets_how_many_experts_are_asked_and_how_often(people, signed_in):
    url = reverse("people:manage_organisation", args=["mairie-vernay"])
    record = {"name": "Mairie de Vernay", "world": "public_action"}
    client = signed_in(people.admin)
    client.post(url, {**record, "experts_per_question": "2", "solicitations_per_week": "1"})
    people.organisation.refresh_from_db()
    assert (people.organisation.experts_per_question, people.organisation.solicitations_per_week) == (2, 1)
    refused = client.post(url, {**record, "experts_per_question": "0"})
    assert "Choisissez un nombre entre 1 et 20." in refused.content.decode()
    client.post(url, record)  # left blank: kept
    people.organisation.refresh_from_db()
    assert people.organisation.experts_per_question == 2


def test_a_question_nobody_was_solicited_about_can_be_routed_once_by_its_asker(
    people, signed_in, django_capture_on_commit_callbacks
):
    question = ask(people.owner)  # nobody has written on it yet
    assert not question.solicitations.exists()
    client = signed_in(people.owner)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Personne n’a été sollicité pour cette question." in page
    assert reverse("questions:route", args=[question.pk]) in page
    empty = client.post(reverse("questions:route", args=[question.pk]), follow=True).content.decode()
    assert "Personne n’a encore écrit sur ce sujet dans le réseau" in empty

    for count in (3, 2):
        write_on(MemberFactory(organisation=people.other_organisation), "entretien", count=count)
    assert signed_in(people.colleague).post(reverse("questions:route", args=[question.pk])).status_code == 403
    assert not question.solicitations.exists()

    client = signed_in(people.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("questions:route", args=[question.pk]), follow=True)
    assert "2 personnes qui peuvent aider ont été trouvées" in response.content.decode()
    assert len(ranked_experts(question)) == 2
    assert DBTaskResult.objects.filter(task_path="apprenance.questions.tasks.solicit_experts").count() == 1

    again = client.post(reverse("questions:route", args=[question.pk]), follow=True).content.decode()
    assert "Des personnes ont déjà été sollicitées pour cette question." in again
    assert question.solicitations.count() == 2
    assert reverse("questions:route", args=[question.pk]) not in again
