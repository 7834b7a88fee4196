"""Ending a circle: by the people who run it, after a confirmation, or on its end date."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from apprenance.community import services
from apprenance.community.models import Circle
from apprenance.core.models import Event
from apprenance.core.schedule import PERIODIC_JOBS
from tests.community.factories import circle

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(people):
    return circle(
        people.animator,
        [people.owner, people.colleague],
        organisation=people.organisation,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 6, 30),
    )


def test_the_animator_confirms_then_the_circle_is_over_and_its_thread_stays_readable(local, people, signed_in):
    client = signed_in(people.animator)
    url = reverse("community:circle_close", args=[local.pk])
    assert url in client.get(local.get_absolute_url()).content.decode()
    confirm = client.get(url)
    assert "Terminer « Cercle des nouveaux managers » ?" in confirm.content.decode()
    local.refresh_from_db()
    assert local.status == "active"  # asking is not doing
    page = client.post(url, follow=True).content.decode()
    assert "Le cercle est terminé" in page
    local.refresh_from_db()
    assert (local.status, local.ends_on == timezone.localdate()) == ("closed", True)
    assert Event.objects.filter(verb="circle.closed", actor=people.animator).count() == 1
    member_page = signed_in(people.owner).get(local.get_absolute_url()).content.decode()
    assert "on n’y écrit plus" in member_page
    assert url not in member_page


def test_closing_twice_changes_nothing(local, people, signed_in):
    client = signed_in(people.animator)
    url = reverse("community:circle_close", args=[local.pk])
    client.post(url)
    ended = Circle.objects.get(pk=local.pk).ends_on
    assert "déjà terminé" in client.post(url, follow=True).content.decode()
    assert Circle.objects.get(pk=local.pk).ends_on == ended
    assert Event.objects.filter(verb="circle.closed").count() == 1


def test_members_and_people_of_other_organisations_may_not_close_it(local, people, signed_in):
    url = reverse("community:circle_close", args=[local.pk])
    assert signed_in(people.owner).post(url).status_code == 403  # a member, not a former
    assert signed_in(people.outsider).post(url).status_code == 404  # cannot even see it
    assert signed_in(people.admin).get(url).status_code == 200  # the organisation's admin may
    assert Circle.objects.get(pk=local.pk).status == "active"


def test_circles_past_their_end_date_close_by_themselves(local, people):
    finished = circle(
        people.animator,
        [people.owner],
        organisation=people.organisation,
        name="Cercle du printemps",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 6, 30),
    )
    assert services.close_finished_circles(today=date(2026, 7, 1)) == 1
    assert Circle.objects.get(pk=finished.pk).status == "closed"
    assert Circle.objects.get(pk=finished.pk).ends_on == date(2026, 6, 30)  # its own end date is kept
    assert Circle.objects.get(pk=local.pk).status == "active"
    assert services.close_finished_circles(today=date(2026, 7, 2)) == 0
    job = PERIODIC_JOBS["community.close_finished_circles"]
    paris = ZoneInfo("Europe/Paris")
    slot = job.schedule.latest_slot(datetime(2026, 7, 2, 1, 0, tzinfo=paris), paris)
    assert slot.astimezone(paris) == datetime(2026, 7, 2, 0, 20, tzinfo=paris)
    assert slot - timedelta(days=1) == job.schedule.latest_slot(datetime(2026, 7, 2, 0, 10, tzinfo=paris), paris)
