"""Live sessions: registration and its waiting list, attendance, feedback, reminders, the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apprenance.community import sessions
from apprenance.community.models import LiveSession, Registration, SessionFeedback
from apprenance.community.tasks import send_session_reminders
from apprenance.core.models import Delivery, Event
from apprenance.notifications.kinds import KINDS
from apprenance.notifications.models import Notification
from tests.community.factories import live_session
from tests.people.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boost(people):
    """A network session of two seats, coached by the animator, in two days."""
    return live_session(people.animator, capacity=2)


def sentence(notification) -> str:
    """What the notification centre says of it."""
    return KINDS[notification.kind].sentence(
        actor="", others=0, target=notification.target_label, data=notification.data, language="fr"
    )


def statuses(session):
    return dict(Registration.objects.filter(session=session).values_list("member_id", "status"))


def test_the_third_person_waits_and_is_promoted_when_someone_cancels(boost, people):
    first = sessions.register(people.owner, boost)
    second = sessions.register(people.colleague, boost)
    third = sessions.register(people.outsider, boost)
    fourth = sessions.register(people.admin, boost)
    assert (first.status, second.status) == ("confirmed", "confirmed")
    assert (third.status, third.position, fourth.position) == ("waiting", 1, 2)
    sessions.cancel_registration(people.colleague, boost)
    assert statuses(boost) == {
        people.owner.pk: "confirmed",
        people.colleague.pk: "cancelled",
        people.outsider.pk: "confirmed",
        people.admin.pk: "waiting",
    }
    promoted = Notification.objects.get(kind="session.promoted")
    assert promoted.recipient == people.outsider
    assert "Une place s’est libérée" in sentence(promoted)
    assert Event.objects.filter(verb="session.promoted", actor=people.outsider).exists()
    assert not Notification.objects.filter(kind="session.promoted", recipient=people.admin).exists()


def test_capacity_is_never_exceeded_and_nobody_registers_twice(boost, people):
    crowd = [MemberFactory(organisation=people.organisation) for _ in range(6)]
    for member in crowd:
        sessions.register(member, boost)
    with pytest.raises(sessions.SessionError) as error:
        sessions.register(crowd[0], boost)
    assert error.value.code == "already"
    confirmed = Registration.objects.filter(session=boost, status="confirmed").count()
    assert confirmed == 2
    assert list(
        Registration.objects.filter(session=boost, status="waiting")
        .order_by("position")
        .values_list("member", flat=True)
    ) == [m.pk for m in crowd[2:]]
    # Cancelling a waiting place promotes nobody; a seat freed promotes exactly one.
    sessions.cancel_registration(crowd[3], boost)
    assert Registration.objects.filter(session=boost, status="confirmed").count() == 2
    sessions.cancel_registration(crowd[0], boost)
    assert Registration.objects.filter(session=boost, status="confirmed").count() == 2
    assert Registration.objects.get(session=boost, member=crowd[2]).status == "confirmed"


def test_more_seats_take_people_off_the_waiting_list(boost, people):
    for member in (people.owner, people.colleague, people.outsider):
        sessions.register(member, boost)
    data = {name: getattr(boost, name) for name in sessions.SESSION_FIELDS}
    sessions.update_session(people.animator, boost, {**data, "capacity": 3})
    assert statuses(boost)[people.outsider.pk] == "confirmed"
    boost.refresh_from_db()
    assert boost.sequence == 0  # seats are not a calendar change


def test_a_cancelled_registration_can_register_again_at_the_end_of_the_list(boost, people):
    sessions.register(people.owner, boost)
    sessions.cancel_registration(people.owner, boost)
    assert sessions.register(people.owner, boost).status == "confirmed"


def test_nobody_registers_to_a_cancelled_or_started_session_nor_the_coach(boost, people):
    with pytest.raises(sessions.SessionError) as error:
        sessions.register(people.animator, boost)
    assert error.value.code == "coach"
    started = live_session(people.animator, starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(sessions.SessionError) as error:
        sessions.register(people.owner, started)
    assert error.value.code == "started"
    sessions.cancel_session(people.animator, boost)
    with pytest.raises(sessions.SessionError) as error:
        sessions.register(people.owner, boost)
    assert error.value.code == "cancelled"
    assert not Registration.objects.exists()


def test_moving_a_session_bumps_its_sequence_and_tells_registrants(boost, people):
    sessions.register(people.owner, boost)
    sessions.register(people.colleague, boost)
    sessions.register(people.outsider, boost)  # waiting, told too
    data = {name: getattr(boost, name) for name in sessions.SESSION_FIELDS}
    sessions.update_session(people.animator, boost, {**data, "title": "Manager Boost #2"})
    boost.refresh_from_db()
    assert boost.sequence == 0
    assert not Notification.objects.filter(kind="session.changed").exists()
    later = boost.starts_at + timedelta(hours=1)
    sessions.update_session(people.animator, boost, {**data, "starts_at": later, "ends_at": later + timedelta(hours=2)})
    boost.refresh_from_db()
    assert boost.sequence == 1
    told = set(Notification.objects.filter(kind="session.changed").values_list("recipient", flat=True))
    assert told == {people.owner.pk, people.colleague.pk, people.outsider.pk}


def test_cancelling_a_session_tells_registrants_once_and_bumps_its_sequence(boost, people):
    sessions.register(people.owner, boost)
    sessions.cancel_session(people.animator, boost)
    sessions.cancel_session(people.animator, boost)
    boost.refresh_from_db()
    assert (boost.status, boost.sequence) == ("cancelled", 1)
    assert Notification.objects.filter(kind="session.cancelled", recipient=people.owner).count() == 1


def test_reminders_go_once_to_each_confirmed_registrant_even_when_the_job_runs_again(boost, people, monkeypatch):
    tomorrow = live_session(people.animator, starts_at=timezone.now() + timedelta(hours=20), capacity=1)
    sessions.register(people.owner, tomorrow)
    sessions.register(people.colleague, tomorrow)  # waiting: no reminder
    sessions.register(people.outsider, boost)  # in two days: not yet
    assert send_session_reminders.call(slot="2026-12-03T08:05:00+00:00") == 1
    assert send_session_reminders.call(slot="2026-12-03T08:05:00+00:00") == 0
    assert sessions.send_reminders() == 0
    reminders = Notification.objects.filter(kind="session.reminder")
    assert [n.recipient_id for n in reminders] == [people.owner.pk]
    assert "Rappel : « Manager Boost » commence bientôt" in sentence(reminders.get())
    assert Delivery.objects.filter(key__startswith="session-reminder:", status="sent").count() == 1


def test_a_reminder_that_crashes_before_its_commit_is_sent_by_the_next_run(people, monkeypatch):
    tomorrow = live_session(people.animator, starts_at=timezone.now() + timedelta(hours=3))
    sessions.register(people.owner, tomorrow)
    sessions.register(people.colleague, tomorrow)
    real_notify = sessions.notify
    calls = []

    def crash_on_second(recipient, *args, **kwargs):
        calls.append(recipient.pk)
        if len(calls) == 2:
            raise ConnectionError("worker killed")
        return real_notify(recipient, *args, **kwargs)

    monkeypatch.setattr(sessions, "notify", crash_on_second)
    with pytest.raises(ConnectionError):
        sessions.send_reminders()
    monkeypatch.setattr(sessions, "notify", real_notify)
    assert sessions.send_reminders() == 1
    assert sessions.send_reminders() == 0
    recipients = sorted(Notification.objects.filter(kind="session.reminder").values_list("recipient", flat=True))
    assert recipients == sorted([people.owner.pk, people.colleague.pk])


def past_session(people, **fields):
    """A session that took place yesterday, with the owner and the colleague registered."""
    session = live_session(people.animator, **fields)
    sessions.register(people.owner, session)
    sessions.register(people.colleague, session)
    LiveSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() - timedelta(days=1) + timedelta(hours=2)
    )
    session.refresh_from_db()
    return session


def test_only_the_coach_marks_attendance(people, signed_in):
    session = past_session(people)
    url = f"/temps-synchrones/{session.pk}/presences/"
    for intruder in (people.owner, people.admin, people.network_admin):
        assert signed_in(intruder).post(url, {"present": [people.owner.pk]}).status_code == 403
    assert not Registration.objects.filter(attended__isnull=False).exists()
    page = signed_in(people.animator).get(session.get_absolute_url()).content.decode()
    assert "Noter les présences" in page
    response = signed_in(people.animator).post(url, {"present": [people.owner.pk]}, follow=True)
    assert "1 présence notée." in response.content.decode()
    assert dict(Registration.objects.values_list("member", "attended")) == {
        people.owner.pk: True,
        people.colleague.pk: False,
    }
    assert Event.objects.filter(verb="session.attended", actor=people.owner).count() == 1


def test_attendance_of_someone_not_registered_changes_nothing(people, signed_in):
    session = past_session(people)
    response = signed_in(people.animator).post(
        f"/temps-synchrones/{session.pk}/presences/", {"present": [people.outsider.pk]}, follow=True
    )
    assert "Cochez seulement des personnes inscrites." in response.content.decode()
    assert not Registration.objects.filter(attended__isnull=False).exists()


def test_only_attendees_leave_feedback_after_the_end_and_the_animator_reads_it(people, signed_in):
    session = past_session(people)
    sessions.mark_attendance(people.animator, session, {people.owner.pk})
    url = f"/temps-synchrones/{session.pk}/avis/"
    refused = signed_in(people.colleague).post(url, {"rating": 5, "comment": "J’étais absente"}, follow=True)
    assert "Seules les personnes présentes donnent leur avis." in refused.content.decode()
    assert signed_in(people.outsider).post(url, {"rating": 5}).status_code == 302
    assert not SessionFeedback.objects.exists()
    client = signed_in(people.owner)
    assert "Votre avis sur ce temps" in client.get(session.get_absolute_url()).content.decode()
    bad = client.post(url, {"rating": 9, "comment": "?"})
    assert bad.status_code == 200  # shown again with its error, as boosted forms expect
    assert "Sélectionnez un choix valide" in bad.content.decode()
    assert not SessionFeedback.objects.exists()
    client.post(url, {"rating": 4, "comment": "Très concret, merci !"})
    client.post(url, {"rating": 5, "comment": "Très concret, merci !"})  # changes the same feedback
    result = sessions.results(session)
    assert (result.count, result.mean) == (1, 5)
    page = signed_in(people.animator).get(session.get_absolute_url()).content.decode()
    assert "Note moyenne : 5,0 sur 5 (1 avis)." in page
    assert "Très concret, merci !" in page
    assert "Note moyenne" not in signed_in(people.colleague).get(session.get_absolute_url()).content.decode()


def test_feedback_waits_for_the_end_of_the_session(people):
    session = live_session(people.animator, starts_at=timezone.now() - timedelta(minutes=30))
    Registration.objects.create(session=session, member=people.owner, status="confirmed", attended=True)
    with pytest.raises(sessions.SessionError) as error:
        sessions.leave_feedback(people.owner, session, 5, "")
    assert error.value.code == "not_over"


def test_my_data_export_carries_my_registrations_and_feedback(people, signed_in):
    session = past_session(people)
    sessions.mark_attendance(people.animator, session, {people.owner.pk})
    sessions.leave_feedback(people.owner, session, 4, "Utile")
    data = signed_in(people.owner).get("/profil/mes-donnees/apprenance-mes-donnees.json").json()
    (registration,) = data["session_registrations"]
    assert (registration["session"], registration["attended"]) == ("Manager Boost", True)
    assert registration["feedback"] == {"rating": 4, "comment": "Utile"}
