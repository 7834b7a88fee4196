"""The demo network comes with circles and their threads, live sessions and a campaign, loaded once."""

import json
from datetime import UTC, datetime

import pytest

from apprenance.community import sessions
from apprenance.community.demo import load_demo_campaigns, load_demo_circles, load_demo_sessions
from apprenance.community.models import (
    Campaign,
    Circle,
    CirclePost,
    LiveSession,
    Prompt,
    PromptAnswer,
    PromptRecipient,
    Registration,
    SessionFeedback,
)
from apprenance.people.management.commands.load_demo import DEMO_FILE
from apprenance.people.network import import_network

pytestmark = pytest.mark.django_db


def test_the_demo_has_circles_with_threads_and_loading_again_adds_nothing(signed_in):
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    import_network({key: data[key] for key in ("format", "version", "organisations", "members")})
    assert load_demo_circles() == 3
    circles = {c.name: c for c in Circle.objects.with_member_count()}
    assert set(circles) == {
        "Cercle des managers de proximité",
        "Cercle de l’accueil des habitants",
        "Cercle du printemps : coopérer entre structures",
    }
    managers = circles["Cercle des managers de proximité"]
    assert managers.organisation is None
    assert managers.member_count == 6
    assert 0 < managers.diversity <= 1
    assert circles["Cercle du printemps : coopérer entre structures"].status == "closed"
    posts = CirclePost.objects.count()
    assert CirclePost.objects.filter(parent__isnull=False).exists()
    assert load_demo_circles() == 0
    assert Circle.objects.count() == 3
    assert CirclePost.objects.count() == posts
    member = managers.memberships.select_related("member").first().member
    page = signed_in(member).get(managers.get_absolute_url()).content.decode()
    assert "tour de météo" in page


def test_without_the_demo_people_no_circle_is_made(people):
    assert load_demo_circles() == 0
    assert not Circle.objects.exists()


def test_the_demo_has_past_and_upcoming_sessions_with_a_waiting_list_and_feedback(signed_in):
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    import_network({key: data[key] for key in ("format", "version", "organisations", "members")})
    assert load_demo_sessions() == 5
    boosts = LiveSession.objects.filter(title__startswith="Manager Boost").with_seats().order_by("starts_at")
    assert len(boosts) == 3
    assert boosts[0].is_over
    assert not boosts[1].is_over
    assert (boosts[1].confirmed_count, boosts[1].waiting_count) == (6, 2)
    in_a_place = LiveSession.objects.get(title__startswith="Atelier accueil")
    assert in_a_place.organisation.slug == "cc-val-darnelle"
    assert "Vernay-sur-Arnelle" in in_a_place.address
    assert not in_a_place.online_url
    assert sessions.results(boosts[0]).count == 4
    assert Registration.objects.filter(session=boosts[0], attended=False).count() == 1
    counts = (LiveSession.objects.count(), Registration.objects.count(), SessionFeedback.objects.count())
    assert load_demo_sessions() == 0
    assert (LiveSession.objects.count(), Registration.objects.count(), SessionFeedback.objects.count()) == counts
    coach = boosts[0].coach
    page = signed_in(coach).get(boosts[0].get_absolute_url()).content.decode()
    assert "Note moyenne : 4,5 sur 5 (4 avis)." in page
    upcoming = signed_in(coach).get("/temps-synchrones/").content.decode()
    assert "Manager Boost n° 2 : déléguer sans tout reprendre" in upcoming
    assert "Atelier accueil" in upcoming  # the coach is a network admin of that organisation


def test_without_the_demo_people_no_session_is_made(people):
    assert load_demo_sessions() == 0
    assert not LiveSession.objects.exists()


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 3, 10, tzinfo=UTC),  # a Thursday
        datetime(2027, 3, 29, 7, 30, tzinfo=UTC),  # a Monday, 9:30 in Paris, the day after the change of hour
    ],
)
def test_the_demo_has_a_running_campaign_with_answers_and_loading_again_adds_nothing(signed_in, now):
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    import_network({key: data[key] for key in ("format", "version", "organisations", "members")})
    assert load_demo_campaigns(now=now) == 1
    feedback = Campaign.objects.with_progress().get()
    assert (feedback.name, feedback.status, feedback.organisation.slug) == (
        "Le feedback au quotidien",
        "running",
        "cc-val-darnelle",
    )
    assert (feedback.prompt_count, feedback.sent_count) == (4, 2)
    sent = list(Prompt.objects.filter(campaign=feedback, sent_at__isnull=False).order_by("position"))
    assert all(prompt.sent_at < now and prompt.remind_at < now for prompt in sent)
    assert feedback.next_send_at > now
    assert PromptAnswer.objects.filter(prompt=sent[0]).count() == 6
    assert all(answer.created_at < now for answer in PromptAnswer.objects.all())
    recipients = PromptRecipient.objects.filter(prompt=sent[0])
    assert recipients.count() > 6
    assert not recipients.filter(member=feedback.animator).exists()
    counts = (Prompt.objects.count(), PromptRecipient.objects.count(), PromptAnswer.objects.count())
    assert load_demo_campaigns(now=now) == 0
    assert (Prompt.objects.count(), PromptRecipient.objects.count(), PromptAnswer.objects.count()) == counts
    member = PromptAnswer.objects.filter(prompt=sent[1]).first().author
    page = signed_in(member).get(sent[0].get_absolute_url()).content.decode()
    assert "une seule chose" in page
    assert "Publier ma réponse" in page


def test_without_the_demo_people_no_campaign_is_made(people):
    assert load_demo_campaigns() == 0
    assert not Campaign.objects.exists()
