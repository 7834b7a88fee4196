"""Seats taken at the same instant by several people: the session's row lock keeps the count right."""

import threading

import pytest
from django.db import connection, connections

from apprenance.community import sessions
from apprenance.community.models import Registration
from tests.community.factories import live_session
from tests.people.factories import MemberFactory, OrganisationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes one transaction at a time"),
]


def test_people_registering_together_never_exceed_the_capacity():
    organisation = OrganisationFactory()
    coach = MemberFactory(organisation=organisation, role="animator")
    crowd = [MemberFactory(organisation=organisation) for _ in range(10)]
    session = live_session(coach, capacity=3)
    start = threading.Barrier(len(crowd))
    errors = []

    def register(member):
        try:
            start.wait()
            sessions.register(member, session)
        except Exception as error:  # noqa: BLE001 -- reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(member,)) for member in crowd]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Registration.objects.filter(session=session, status="confirmed").count() == 3
    positions = sorted(
        Registration.objects.filter(session=session, status="waiting").values_list("position", flat=True)
    )
    assert positions == [1, 2, 3, 4, 5, 6, 7]
