"""Campaigns in the API: the same visibility and rules as the pages, 4xx JSON naming the problem."""

import pytest

from apprenance.community import campaigns
from apprenance.community.models import Prompt, PromptAnswer
from tests.community.factories import campaign, launched

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(people):
    """A campaign to the first organisation's team, its first prompt sent, its second one to come."""
    made = campaign(people.animator, audience="teams", organisation=people.organisation, teams=[people.team])
    launched(made)
    first = Prompt.objects.filter(campaign=made).order_by("position").first()
    campaigns.send_due_prompts(now=first.send_at)
    return made


def prompts_of(made):
    return list(Prompt.objects.filter(campaign=made).order_by("position"))


def test_the_list_the_detail_and_the_prompts_carry_the_documented_fields(running, people, signed_in):
    first, second = prompts_of(running)
    client = signed_in(people.owner)
    body = client.get("/api/v1/campaigns/").json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert (item["name"], item["status"], item["audience"], item["organisation"]) == (
        "Le feedback au quotidien",
        "running",
        "teams",
        "mairie-vernay",
    )
    assert (item["weekday"], item["send_time"], item["time_zone"], item["prompts_sent"]) == (
        0,
        "09:00",
        "Europe/Paris",
        1,
    )
    assert item["next_send_at"] == "2026-10-26T09:00:00+01:00"
    detail = client.get(f"/api/v1/campaigns/{running.pk}").json()
    assert detail["teams"] == ["État civil"]
    prompts = client.get(f"/api/v1/campaigns/{running.pk}/prompts").json()
    assert [p["theme"] for p in prompts["items"]] == ["Le dernier feedback qui vous a aidé"]  # the one sent
    assert prompts["items"][0]["sent_at"] == "2026-10-19T09:00:00+02:00"
    one = client.get(f"/api/v1/campaigns/{running.pk}/prompts/{first.pk}").json()
    assert one["question"] == "Qui vous l’a donné, et qu’est-ce qui l’a rendu **utile** ?"
    assert one["resource_url"] is None
    assert client.get(f"/api/v1/campaigns/{running.pk}/prompts/{second.pk}").status_code == 404
    animator = signed_in(people.animator)
    assert animator.get(f"/api/v1/campaigns/{running.pk}/prompts").json()["count"] == 2


def test_answering_through_the_api(running, people, signed_in):
    first, second = prompts_of(running)
    client = signed_in(people.colleague)
    url = f"/api/v1/campaigns/{running.pk}/prompts/{first.pk}/answers"
    created = client.post(url, {"body": "  Un usager, en fait.  "}, content_type="application/json")
    assert created.status_code == 201
    assert (created.json()["body"], created.json()["prompt"]) == ("Un usager, en fait.", first.pk)
    listed = client.get(url).json()
    assert [a["body"] for a in listed["items"]] == ["Un usager, en fait."]
    assert client.get(f"/api/v1/campaigns/{running.pk}/prompts/{first.pk}").json()["answered_by_me"] is True
    empty = client.post(url, {"body": ""}, content_type="application/json")
    assert empty.status_code == 422
    assert "body" in empty.json()["errors"]
    # A prompt still to come is no thread yet, even for its animator.
    early = signed_in(people.animator).post(
        f"/api/v1/campaigns/{running.pk}/prompts/{second.pk}/answers",
        {"body": "Déjà ?"},
        content_type="application/json",
    )
    assert early.status_code == 409
    assert early.json()["code"] == "not_sent"
    assert PromptAnswer.objects.count() == 1


def test_outside_the_audience_the_api_shows_nothing_and_writes_nothing(running, people, signed_in):
    first, _second = prompts_of(running)
    client = signed_in(people.outsider)
    assert client.get("/api/v1/campaigns/").json()["count"] == 0
    for response in (
        client.get(f"/api/v1/campaigns/{running.pk}"),
        client.get(f"/api/v1/campaigns/{running.pk}/prompts"),
        client.get(f"/api/v1/campaigns/{running.pk}/prompts/{first.pk}/answers"),
        client.post(
            f"/api/v1/campaigns/{running.pk}/prompts/{first.pk}/answers",
            {"body": "Coucou"},
            content_type="application/json",
        ),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert not PromptAnswer.objects.exists()


def test_a_manager_outside_the_audience_reads_but_does_not_answer(running, people, signed_in):
    first, _second = prompts_of(running)
    client = signed_in(people.admin)
    assert client.get(f"/api/v1/campaigns/{running.pk}/prompts/{first.pk}").status_code == 200
    refused = client.post(
        f"/api/v1/campaigns/{running.pk}/prompts/{first.pk}/answers", {"body": "Bravo"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_audience"
    campaigns.finish_campaign(people.animator, running)
    closed = signed_in(people.owner).post(
        f"/api/v1/campaigns/{running.pk}/prompts/{first.pk}/answers",
        {"body": "Encore"},
        content_type="application/json",
    )
    assert (closed.status_code, closed.json()["code"]) == (403, "finished")
    assert not PromptAnswer.objects.exists()


def test_participation_is_for_the_campaigns_managers(running, people, signed_in):
    first, _second = prompts_of(running)
    campaigns.answer_prompt(people.owner, first, "Ma réponse")
    url = f"/api/v1/campaigns/{running.pk}/participation"
    denied = signed_in(people.owner).get(url)
    assert (denied.status_code, denied.json()["code"]) == (403, "forbidden")
    body = signed_in(people.admin).get(url).json()
    (row,) = body["items"]
    assert (row["recipients"], row["answered"], row["share"], row["reminded"], row["answers"]) == (2, 1, 0.5, 0, 1)
