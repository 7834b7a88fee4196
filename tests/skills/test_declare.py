"""A member declares their skills on their profile: adding, changing, removing, and what routing makes of it."""

import pytest

from apprenance.core.models import Event
from apprenance.questions import routing
from apprenance.questions.models import Solicitation
from apprenance.questions.routing import reason_text
from apprenance.skills.forms import MAX_DECLARED
from apprenance.skills.models import MemberSkill, Skill
from tests.people.factories import MemberFactory
from tests.questions.factories import ask

pytestmark = pytest.mark.django_db

MINE = "/profil/competences/"


def declare(client, name, level="practised", can_teach=False):
    data = {"name": name, "level": level}
    if can_teach:
        data["can_teach"] = "on"
    return client.post(MINE, data)


def test_a_member_declares_a_skill_and_finds_it_on_their_profile(people, signed_in):
    client = signed_in(people.outsider)
    response = declare(client, "  Conduite   d’entretien ", level="expert", can_teach=True)
    assert response.status_code == 302
    assert response["Location"] == MINE
    declared = MemberSkill.objects.get(member=people.outsider)
    assert (declared.skill.name, declared.level, declared.can_teach) == ("Conduite d’entretien", "expert", True)
    page = client.get(MINE).content.decode()
    assert "« Conduite d’entretien » est ajoutée à vos compétences." in page
    assert "1 compétence déclarée" in page
    assert "Expert·e" in page
    assert Event.objects.filter(actor=people.outsider, verb="skill.declared", object_id=declared.skill_id).exists()
    profile = signed_in(people.colleague).get(f"/membres/{people.outsider.pk}/").content.decode()
    assert "Conduite d’entretien" in profile
    assert "peut la transmettre" in profile


def test_a_skill_of_the_framework_is_reused_whatever_its_case(people, signed_in):
    existing = Skill.objects.named(["Animer une réunion"])[0]
    MemberSkill.objects.create(member=people.colleague, skill=existing)
    client = signed_in(people.owner)
    assert '<option value="Animer une réunion">' in client.get(MINE).content.decode()  # suggested while typing
    declare(client, "animer une RÉUNION")
    assert MemberSkill.objects.get(member=people.owner).skill == existing
    assert Skill.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "level": "practised"}, "Nommez la compétence."),
        ({"name": "x" * 61, "level": "practised"}, "Le nom fait 60 caractères au plus."),
        (
            {"name": "!!! ???", "level": "practised"},
            "Écrivez le nom de la compétence avec des lettres ou des chiffres.",
        ),
        ({"name": "Tableur", "level": "virtuose"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_written(people, signed_in, data, message):
    response = signed_in(people.owner).post(MINE, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MemberSkill.objects.exists()
    assert not Skill.objects.exists()


def test_a_skill_declared_twice_is_refused_with_a_way_out(people, signed_in):
    client = signed_in(people.owner)
    declare(client, "Tableur", level="beginner")
    html = declare(client, "TABLEUR", level="expert").content.decode()
    assert "Vous déclarez déjà « Tableur » : changez plutôt son niveau dans la liste." in html
    assert MemberSkill.objects.get(member=people.owner).level == "beginner"


def test_a_member_declares_a_bounded_number_of_skills(people, signed_in):
    skills = Skill.objects.named([f"Compétence {number}" for number in range(MAX_DECLARED)])
    MemberSkill.objects.bulk_create(MemberSkill(member=people.owner, skill=skill) for skill in skills)
    html = declare(signed_in(people.owner), "Une de plus").content.decode()
    assert f"Vous déclarez déjà {MAX_DECLARED} compétences" in html
    assert MemberSkill.objects.filter(member=people.owner).count() == MAX_DECLARED


def test_the_level_and_teaching_can_be_changed(people, signed_in):
    client = signed_in(people.owner)
    declare(client, "Tableur", level="beginner")
    declared = MemberSkill.objects.get()
    url = f"/profil/competences/{declared.pk}/modifier/"
    assert "Tableur" in client.get(url).content.decode()
    assert "Sélectionnez un choix valide" in client.post(url, {"level": "virtuose"}).content.decode()
    declared.refresh_from_db()
    assert declared.level == "beginner"
    assert client.post(url, {"level": "expert", "can_teach": "on"})["Location"] == MINE
    declared.refresh_from_db()
    assert (declared.level, declared.can_teach) == ("expert", True)


def test_removing_asks_for_confirmation_first(people, signed_in):
    client = signed_in(people.owner)
    declare(client, "Tableur")
    declared = MemberSkill.objects.get()
    url = f"/profil/competences/{declared.pk}/retirer/"
    confirm = client.get(url).content.decode()
    assert "Retirer « Tableur » de vos compétences ?" in confirm
    assert MemberSkill.objects.exists()
    assert client.post(url)["Location"] == MINE
    assert not MemberSkill.objects.exists()
    assert Skill.objects.filter(name="Tableur").exists()  # the framework keeps it
    assert "« Tableur » est retirée de vos compétences." in client.get(MINE).content.decode()
    assert Event.objects.filter(actor=people.owner, verb="skill.removed").exists()


def test_nobody_changes_or_removes_someone_elses_skills(people, signed_in):
    declare(signed_in(people.owner), "Tableur", level="beginner")
    declared = MemberSkill.objects.get()
    client = signed_in(people.admin)
    assert client.get(f"/profil/competences/{declared.pk}/modifier/").status_code == 404
    assert client.post(f"/profil/competences/{declared.pk}/modifier/", {"level": "expert"}).status_code == 404
    assert client.post(f"/profil/competences/{declared.pk}/retirer/").status_code == 404
    declared.refresh_from_db()
    assert declared.level == "beginner"
    assert "<h3>Tableur</h3>" not in client.get(MINE).content.decode()


def test_signing_in_is_required(client):
    response = client.get(MINE)
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_the_page_has_an_empty_state_and_pages(people, signed_in, settings):
    client = signed_in(people.owner)
    assert "Vous n’avez encore déclaré aucune compétence." in client.get(MINE).content.decode()
    settings.PAGE_SIZE = 2
    for name in ("Budget", "Tableur", "Accueil du public"):
        declare(client, name)
    first = client.get(MINE).content.decode()
    second = client.get(MINE, {"page": 2}).content.decode()
    assert "<h3>Accueil du public</h3>" in first
    assert "<h3>Budget</h3>" in first
    assert "<h3>Tableur</h3>" not in first
    assert "<h3>Tableur</h3>" in second
    assert "Page 2 sur 2" in second


def test_a_skill_declared_on_the_page_routes_questions_with_a_true_reason(people, signed_in):
    expert = MemberFactory(organisation=people.other_organisation)
    declare(signed_in(expert), "Conduite d’entretien", can_teach=True)
    question = ask(people.owner, skills="Conduite d’entretien")
    solicitation = Solicitation.objects.get(question=question, expert=expert)
    texts = [reason_text(reason) for reason in solicitation.reasons]
    assert "déclare la compétence « Conduite d’entretien » et peut la transmettre" in texts
    # A skill named by the question's own words brings them too, without being tagged.
    untagged = ask(people.owner, title="Comment mener un entretien de recadrage ?")
    assert expert in [s.member for s in routing.rank_experts(untagged)]
    # Once removed, the skill no longer brings them.
    declared = MemberSkill.objects.get(member=expert)
    signed_in(expert).post(f"/profil/competences/{declared.pk}/retirer/")
    later = ask(people.owner, title="Comment préparer une conduite d’entretien ?", skills="Conduite d’entretien")
    assert expert not in [s.member for s in routing.rank_experts(later)]
