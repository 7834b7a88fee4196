from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from apprenance.core.models import Delivery
from apprenance.core.schedule import enqueue_due_jobs
from apprenance.notifications.digests import send_digests
from apprenance.notifications.emails import unsubscribe_token
from apprenance.notifications.kinds import Frequency
from apprenance.notifications.models import EmailPreference, Notification
from apprenance.notifications.services import notify
from tests.people.factories import MemberFactory

pytestmark = pytest.mark.django_db
SLOT = "2026-11-25T07:00:00+00:00"


def joined(people, organisation, *newcomers):
    for newcomer in newcomers:
        notify(people.admin, "member.joined", organisation, actor=newcomer)


def test_a_daily_digest_groups_by_kind_and_target(people):
    newcomers = [MemberFactory(organisation=people.organisation) for _ in range(3)]
    joined(people, people.organisation, *newcomers)
    joined(people, people.other_organisation, people.outsider)
    assert send_digests(Frequency.DAILY, SLOT) == 1
    message = mail.outbox[0]
    assert message.to == [people.admin.email]
    assert message.subject == "Votre résumé quotidien : 2 nouveautés sur Apprenance"
    assert "Une personne que j’ai invitée rejoint le réseau" in message.body
    assert f"{newcomers[-1].full_name} et 2 autres personnes ont rejoint Mairie de Vernay" in message.body
    assert f"{people.outsider.full_name} a rejoint Banque d’Arnelle" in message.body
    assert "Toutes mes notifications" in message.alternatives[0][0]
    assert "List-Unsubscribe" in message.extra_headers
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_members_with_nothing_pending_get_no_digest(people):
    assert send_digests(Frequency.DAILY, SLOT) == 0
    assert not mail.outbox


def test_each_digest_goes_once_per_slot_even_when_the_job_runs_again(people):
    joined(people, people.organisation, people.owner)
    send_digests(Frequency.DAILY, SLOT)
    Notification.objects.update(emailed_at=None)  # as if the run crashed after sending, before recording
    assert send_digests(Frequency.DAILY, SLOT) == 0
    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(key__startswith="digest:daily:2026-11-25:").count() == 1


def test_weekly_choices_stay_out_of_the_daily_digest(people):
    EmailPreference.objects.create(member=people.admin, kind="member.joined", frequency=Frequency.WEEKLY)
    joined(people, people.organisation, people.owner)
    assert send_digests(Frequency.DAILY, SLOT) == 0
    assert send_digests(Frequency.WEEKLY, SLOT) == 1
    assert "résumé hebdomadaire" in mail.outbox[0].subject


def test_unsubscribing_from_a_digest_stops_every_kind_it_gathers(people, client):
    joined(people, people.organisation, people.owner)
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(people.admin.pk, "digest:daily")])
    assert "Le résumé quotidien" in client.get(url).text
    client.post(url)
    assert EmailPreference.objects.get(member=people.admin, kind="member.joined").frequency == Frequency.OFF
    assert send_digests(Frequency.DAILY, SLOT) == 0


def test_the_daily_digest_is_due_at_eight_in_paris_in_summer_and_in_winter():
    summer = datetime(2026, 3, 29, 6, 5, tzinfo=UTC)  # 08:05 on the day the clocks went forward
    assert "notifications.daily_digest" in enqueue_due_jobs(summer)
    assert "notifications.daily_digest" not in enqueue_due_jobs(datetime(2026, 3, 30, 5, 55, tzinfo=UTC))  # 07:55
    winter = datetime(2026, 10, 26, 7, 5, tzinfo=UTC)  # 08:05, the day after the clocks went back
    assert "notifications.daily_digest" in enqueue_due_jobs(winter)


def test_names_are_escaped_in_the_html_part(people):
    people.owner.first_name = "<script>alert(1)</script>"
    people.owner.save()
    joined(people, people.organisation, people.owner)
    send_digests(Frequency.DAILY, SLOT)
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<script>alert(1)</script>" in mail.outbox[0].body  # plain text is not HTML


def test_a_digest_line_leads_through_the_centre_which_handles_a_subject_deleted_since(people, client):
    from apprenance.questions import services as question_services
    from tests.questions.factories import ask

    EmailPreference.objects.create(member=people.admin, kind="question.answered", frequency=Frequency.DAILY)
    question = ask(people.owner, title="Comment accueillir un stagiaire ?")
    line = notify(people.admin, "question.answered", question, actor=people.owner)
    assert send_digests(Frequency.DAILY, SLOT) == 1
    link = settings.SITE_URL + reverse("notifications:open", args=[line.pk])
    assert link in mail.outbox[0].body
    assert f'href="{link}"' in mail.outbox[0].alternatives[0][0]

    question_services.delete_question(people.owner, question)
    client.force_login(people.admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert "n’est plus disponible" in response.content.decode()
