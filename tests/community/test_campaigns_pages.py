"""Campaign pages: who sees a campaign and its answers, who runs it, the forms refusing bad input,
the thread of a prompt, participation, and bounded queries."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apprenance.community import campaigns
from apprenance.community.models import Campaign, Prompt, PromptAnswer
from apprenance.core.models import Event
from tests.community.factories import campaign, circle, launched
from tests.people.factories import MemberFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_campaign(people):
    """A campaign to the first organisation's team (the owner and the colleague), its first prompt
    sent and answered by the owner; its second prompt still to come."""
    made = campaign(people.animator, audience="teams", organisation=people.organisation, teams=[people.team])
    launched(made)
    first = Prompt.objects.filter(campaign=made).order_by("position").first()
    campaigns.send_due_prompts(now=first.send_at)
    first.refresh_from_db()
    campaigns.answer_prompt(people.owner, first, "Ma cheffe m’a dit **une seule chose** à revoir.")
    return made


def prompts_of(made):
    return list(Prompt.objects.filter(campaign=made).order_by("position"))


def test_answers_are_visible_to_the_audience_and_the_campaign_managers(team_campaign, people, signed_in):
    first, _second = prompts_of(team_campaign)
    for reader in (people.owner, people.colleague, people.animator, people.admin, people.network_admin):
        page = signed_in(reader).get(first.get_absolute_url())
        assert page.status_code == 200
        assert "<strong>une seule chose</strong>" in page.content.decode()


def test_answers_are_hidden_from_everyone_outside_the_audience(team_campaign, people, signed_in):
    first, _second = prompts_of(team_campaign)
    stranger = MemberFactory(organisation=people.organisation)  # same organisation, another team
    for reader in (stranger, people.outsider, people.other_admin):
        client = signed_in(reader)
        assert client.get(team_campaign.get_absolute_url()).status_code == 404
        assert client.get(first.get_absolute_url()).status_code == 404
        answer = client.post(f"{first.get_absolute_url()}repondre/", {"body": "Je m’invite"})
        assert answer.status_code == 404
        assert "Le feedback au quotidien" not in client.get("/campagnes/").content.decode()
        assert client.get(f"/api/v1/campaigns/{team_campaign.pk}/prompts/{first.pk}/answers").status_code == 404
    assert PromptAnswer.objects.count() == 1


def test_someone_who_received_a_prompt_keeps_reading_it_after_leaving_the_team(team_campaign, people, signed_in):
    first, _second = prompts_of(team_campaign)
    people.colleague.teams.remove(people.team)
    assert signed_in(people.colleague).get(first.get_absolute_url()).status_code == 200


def test_the_audience_sees_the_prompts_sent_only_and_a_draft_not_at_all(team_campaign, people, signed_in):
    _first, second = prompts_of(team_campaign)
    client = signed_in(people.colleague)
    assert client.get(second.get_absolute_url()).status_code == 404
    page = client.get(team_campaign.get_absolute_url()).content.decode()
    assert "Le dernier feedback qui vous a aidé" in page
    assert "Dire ce qui va bien" not in page
    assert signed_in(people.animator).get(second.get_absolute_url()).status_code == 200
    draft = campaign(people.animator, audience="teams", organisation=people.organisation, teams=[people.team])
    assert signed_in(people.colleague).get(draft.get_absolute_url()).status_code == 404


def test_an_audience_member_answers_and_the_animator_hears_of_it(team_campaign, people, signed_in):
    first, _second = prompts_of(team_campaign)
    response = signed_in(people.colleague).post(
        f"{first.get_absolute_url()}repondre/", {"body": "Un *usager*, en fait."}
    )
    answer = PromptAnswer.objects.get(author=people.colleague)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reponse-{answer.pk}")
    assert Event.objects.filter(verb="campaign.answered", actor=people.colleague, object_id=first.pk).exists()
    page = signed_in(people.owner).get(first.get_absolute_url()).content.decode()
    assert "<em>usager</em>" in page
    assert "2 réponses" in page


def test_an_empty_or_scripted_answer_never_gets_through(team_campaign, people, signed_in):
    first, _second = prompts_of(team_campaign)
    client = signed_in(people.colleague)
    page = client.post(f"{first.get_absolute_url()}repondre/", {"body": "   "})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Votre réponse n’est pas publiée : corrigez-la ci-dessous." in body
    assert "Ce champ est obligatoire." in body
    assert PromptAnswer.objects.filter(author=people.colleague).count() == 0
    client.post(f"{first.get_absolute_url()}repondre/", {"body": "<script>alert(1)</script> [x](javascript:alert(1))"})
    page = client.get(first.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page


def test_a_finished_campaign_shows_its_threads_but_takes_no_answer(team_campaign, people, signed_in):
    first, _second = prompts_of(team_campaign)
    client = signed_in(people.animator)
    confirm = client.get(f"/campagnes/{team_campaign.pk}/terminer/").content.decode()
    assert "On ne peut pas revenir en arrière." in confirm
    assert Campaign.objects.get().status == "running"  # asking is not ending
    client.post(f"/campagnes/{team_campaign.pk}/terminer/")
    assert Campaign.objects.get().status == "finished"
    colleague = signed_in(people.colleague)
    page = colleague.get(first.get_absolute_url()).content.decode()
    assert "ne prend plus de réponse" in page
    assert "Publier ma réponse" not in page
    assert colleague.post(f"{first.get_absolute_url()}repondre/", {"body": "Encore là ?"}).status_code == 403
    assert PromptAnswer.objects.count() == 1


def test_only_the_animators_and_admins_of_the_organisation_run_its_campaigns(team_campaign, people, signed_in):
    pk = team_campaign.pk
    first, second = prompts_of(team_campaign)
    for intruder in (people.owner, people.colleague):
        client = signed_in(intruder)
        assert client.get("/campagnes/nouvelle/").status_code == 403
        assert client.post("/campagnes/nouvelle/", campaign_form(people)).status_code == 403
        for url in (
            f"/campagnes/{pk}/modifier/",
            f"/campagnes/{pk}/participation/",
            f"/campagnes/{pk}/themes/ajouter/",
            f"/campagnes/{pk}/terminer/",
            f"/campagnes/{pk}/supprimer/",
            f"{first.get_absolute_url()}modifier/",
            f"{first.get_absolute_url()}supprimer/",
        ):
            assert client.get(url).status_code == 403
            if not url.endswith("participation/"):
                assert client.post(url, {"name": "Piratée", "theme": "Piraté", "question": "?"}).status_code == 403
        for action in ("lancer", "pause", "reprendre"):
            assert client.post(f"/campagnes/{pk}/{action}/").status_code == 403
        assert client.get(second.get_absolute_url()).status_code == 404  # not sent: not theirs yet
        assert "Nouvelle campagne" not in client.get("/campagnes/").content.decode()
    team_campaign.refresh_from_db()
    assert (team_campaign.status, team_campaign.name) == ("running", "Le feedback au quotidien")
    assert [p.theme for p in prompts_of(team_campaign)] == [
        "Le dernier feedback qui vous a aidé",
        "Dire ce qui va bien",
    ]
    for manager in (people.animator, people.admin, people.network_admin):
        assert signed_in(manager).get(f"/campagnes/{pk}/participation/").status_code == 200
    assert signed_in(people.other_admin).get(f"/campagnes/{pk}/participation/").status_code == 404
    assert "Nouvelle campagne" in signed_in(people.animator).get("/campagnes/").content.decode()
    signed_in(people.admin).post(f"/campagnes/{pk}/pause/")
    assert Campaign.objects.get().status == "paused"


def campaign_form(people, **changes):
    data = {
        "name": "Le feedback au quotidien",
        "description": "Chaque lundi, un thème.",
        "audience": "teams",
        "teams": [people.team.pk],
        "weekday": "0",
        "send_time": "09:00",
        "time_zone": "Europe/Paris",
        "starts_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "reminder_days": "2",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_an_animator_creates_a_campaign_adds_prompts_and_launches_it(people, signed_in):
    client = signed_in(people.animator)
    response = client.post("/campagnes/nouvelle/", campaign_form(people))
    made = Campaign.objects.get()
    assert response["Location"] == made.get_absolute_url()
    assert (made.audience, made.organisation, list(made.teams.all())) == ("teams", people.organisation, [people.team])
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Aucun thème pour l’instant" in page
    client.post(f"/campagnes/{made.pk}/lancer/")
    assert Campaign.objects.get().status == "draft"
    assert "Ajoutez au moins un thème" in client.get(made.get_absolute_url()).content.decode()
    prompt = {
        "theme": "Dire ce qui va bien",
        "question": "À qui avez-vous dit merci ?",
        "resource_url": "exemple.org/x",
    }
    client.post(f"/campagnes/{made.pk}/themes/ajouter/", prompt)
    assert Prompt.objects.get().resource_url == "https://exemple.org/x"
    assert "si vous lancez la campagne maintenant" in client.get(made.get_absolute_url()).content.decode()
    client.post(f"/campagnes/{made.pk}/lancer/")
    made.refresh_from_db()
    assert made.status == "running"
    send_at = Prompt.objects.get().send_at
    assert send_at.date() >= made.starts_on
    assert "Envoi prévu le" in client.get(made.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"teams": None}, "Choisissez au moins une équipe."),
        ({"audience": "organisation", "organisation": None}, "Choisissez l’organisation à qui s’adresse la campagne."),
        ({"audience": "circles"}, "Choisissez au moins un cercle."),
        ({"audience": "network"}, "Sélectionnez un choix valide."),  # only network admins address the network
        ({"time_zone": "Europe/Vernay"}, "Fuseau horaire inconnu"),
        ({"starts_on": "2020-01-06"}, "Choisissez aujourd’hui ou une date à venir."),
        ({"reminder_days": "9"}, "inférieure ou égale à 6"),
        ({"send_time": "25:00"}, "Saisissez une heure valide."),
        ({"name": "   "}, "Ce champ est obligatoire."),
    ],
)
def test_a_bad_campaign_form_says_why_and_creates_nothing(people, signed_in, changes, field_error):
    page = signed_in(people.animator).post("/campagnes/nouvelle/", campaign_form(people, **changes))
    assert page.status_code == 200
    assert field_error in page.content.decode()
    assert not Campaign.objects.exists()


def test_teams_of_two_organisations_make_no_campaign(people, signed_in):
    form = campaign_form(people, teams=[people.team.pk, people.other_team.pk])
    page = signed_in(people.network_admin).post("/campagnes/nouvelle/", form)
    assert "Choisissez des équipes d’une même organisation." in page.content.decode()
    assert not Campaign.objects.exists()


def test_an_animator_cannot_address_another_organisations_team(people, signed_in):
    page = signed_in(people.animator).post("/campagnes/nouvelle/", campaign_form(people, teams=[people.other_team.pk]))
    assert "Sélectionnez un choix valide." in page.content.decode()
    assert not Campaign.objects.exists()


def test_editing_a_sent_prompt_or_an_empty_theme_changes_nothing(team_campaign, people, signed_in):
    first, second = prompts_of(team_campaign)
    client = signed_in(people.animator)
    edit = client.post(f"{first.get_absolute_url()}modifier/", {"theme": "Autre", "question": "Autre ?"}, follow=True)
    assert "Ce thème est déjà parti" in edit.content.decode()
    delete = client.post(f"{first.get_absolute_url()}supprimer/", follow=True)
    assert "Ce thème est déjà parti" in delete.content.decode()
    page = client.post(f"{second.get_absolute_url()}modifier/", {"theme": "  ", "question": "Une question"})
    assert "Ce champ est obligatoire." in page.content.decode()
    assert [p.theme for p in prompts_of(team_campaign)] == [
        "Le dernier feedback qui vous a aidé",
        "Dire ce qui va bien",
    ]


def test_deleting_a_prompt_not_sent_asks_first(team_campaign, people, signed_in):
    _first, second = prompts_of(team_campaign)
    client = signed_in(people.animator)
    confirm = client.get(f"{second.get_absolute_url()}supprimer/").content.decode()
    assert "Supprimer le thème « Dire ce qui va bien » ?" in confirm
    assert Prompt.objects.filter(pk=second.pk).exists()
    client.post(f"{second.get_absolute_url()}supprimer/")
    assert not Prompt.objects.filter(pk=second.pk).exists()


def test_only_a_draft_is_deleted_after_confirmation(team_campaign, people, signed_in):
    client = signed_in(people.animator)
    refused = client.post(f"/campagnes/{team_campaign.pk}/supprimer/", follow=True)
    assert "Cette campagne est déjà lancée." in refused.content.decode()
    draft = campaign(people.animator, organisation=people.organisation, name="Brouillon")
    assert "Supprimer « Brouillon » ?" in client.get(f"/campagnes/{draft.pk}/supprimer/").content.decode()
    client.post(f"/campagnes/{draft.pk}/supprimer/")
    assert list(Campaign.objects.values_list("name", flat=True)) == ["Le feedback au quotidien"]


def test_the_participation_page_shows_each_prompt_sent(team_campaign, people, signed_in):
    first, _second = prompts_of(team_campaign)
    campaigns.send_due_reminders(now=first.remind_at)
    page = signed_in(people.animator).get(f"/campagnes/{team_campaign.pk}/participation/").content.decode()
    assert "Le dernier feedback qui vous a aidé" in page
    assert "<td>2</td>\n      <td>1</td>\n      <td>50 %</td>\n      <td>1</td>" in page
    assert "Dire ce qui va bien" not in page  # not sent yet


def test_the_list_shows_mine_and_the_main_navigation_leads_to_it(team_campaign, people, signed_in):
    other = campaign(people.network_admin, audience="teams", organisation=people.other_organisation, name="Ailleurs")
    other.teams.set([people.other_team])
    launched(other)
    body = signed_in(people.owner).get("/campagnes/").content.decode()
    assert 'href="/campagnes/"' in body
    assert "Le feedback au quotidien" in body
    assert "1 thème envoyé sur 2" in body
    assert "Ailleurs" not in body
    assert "Ailleurs" in signed_in(people.outsider).get("/campagnes/").content.decode()
    stranger = MemberFactory(organisation=people.other_organisation)
    empty = signed_in(stranger).get("/campagnes/").content.decode()
    assert "Aucune campagne ne vous est adressée pour l’instant." in empty


def test_the_list_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for number in range(30):
        launched(campaign(people.animator, organisation=people.organisation, name=f"Campagne {number}"))
    client = signed_in(people.owner)
    with django_assert_max_num_queries(6):
        page = client.get("/campagnes/")
    assert page.content.decode().count('class="card"') == 24
    assert "Page 1 sur 2" in page.content.decode()


def test_the_campaign_page_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    made = launched(campaign(people.animator, organisation=people.organisation, prompts=30))
    campaigns.send_due_prompts(now=Prompt.objects.order_by("send_at").last().send_at)
    client = signed_in(people.owner)
    with django_assert_max_num_queries(9):
        page = client.get(made.get_absolute_url())
    assert page.content.decode().count("Envoyé le") == 24


def test_the_prompt_page_runs_a_bounded_number_of_queries(
    team_campaign, people, signed_in, django_assert_max_num_queries
):
    first, _second = prompts_of(team_campaign)
    for number in range(30):
        author = MemberFactory(organisation=people.organisation, teams=[people.team])
        PromptAnswer.objects.create(prompt=first, author=author, body=f"Réponse {number}")
    for reader in (people.colleague, people.animator):
        client = signed_in(reader)
        with django_assert_max_num_queries(11):
            page = client.get(first.get_absolute_url())
        assert "Réponse 29" in page.content.decode()
        assert "Réponse 0<" not in page.content.decode()  # on the second page of the thread


def test_the_participation_page_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    crowd = TeamFactory(organisation=people.organisation)
    for _ in range(10):
        MemberFactory(organisation=people.organisation, teams=[crowd])
    made = launched(campaign(people.animator, organisation=people.organisation, prompts=30))
    campaigns.send_due_prompts(now=Prompt.objects.order_by("send_at").last().send_at)
    client = signed_in(people.animator)
    with django_assert_max_num_queries(7):
        page = client.get(f"/campagnes/{made.pk}/participation/")
    assert page.content.decode().count("<tr>") == 25  # the header and 24 prompts


def test_my_data_export_carries_the_prompts_i_received_and_my_answers(team_campaign, people, signed_in):
    data = signed_in(people.owner).get("/profil/mes-donnees/apprenance-mes-donnees.json").json()
    assert [r["theme"] for r in data["campaign_prompts_received"]] == ["Le dernier feedback qui vous a aidé"]
    assert [a["body"] for a in data["campaign_answers"]] == ["Ma cheffe m’a dit **une seule chose** à revoir."]
    assert (
        signed_in(people.colleague).get("/profil/mes-donnees/apprenance-mes-donnees.json").json()["campaign_answers"]
        == []
    )


def test_a_campaign_to_circles_a_member_animates_outside_their_organisation_is_of_the_network(people, signed_in):
    across = circle(people.animator, [people.owner, people.outsider], name="Cercle du territoire")
    client = signed_in(people.animator)
    client.post("/campagnes/nouvelle/", campaign_form(people, audience="circles", teams=None, circles=[across.pk]))
    made = Campaign.objects.get()
    assert (made.organisation, list(made.circles.all())) == (None, [across])
    assert signed_in(people.outsider).get(made.get_absolute_url()).status_code == 404  # a draft
    campaigns.add_prompt(people.animator, made, {"theme": "Coopérer", "question": "Comment ?", "resource_url": ""})
    launched(made)
    assert signed_in(people.outsider).get(made.get_absolute_url()).status_code == 200
    assert signed_in(people.admin).get(made.get_absolute_url()).status_code == 404  # not their organisation's


def test_starting_on_a_past_date_stays_possible_when_the_date_is_not_changed(team_campaign, people, signed_in):
    form = campaign_form(people, name="Le feedback, saison 2", starts_on=team_campaign.starts_on.isoformat())
    signed_in(people.animator).post(f"/campagnes/{team_campaign.pk}/modifier/", form)
    team_campaign.refresh_from_db()
    assert team_campaign.name == "Le feedback, saison 2"
    assert team_campaign.starts_on == date(2026, 10, 19)
