import copy
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apprenance.people.models import Member, Membership, Organisation, Team
from apprenance.people.network import NetworkFileError, export_network, import_network, validate_network

pytestmark = pytest.mark.django_db

SMALL = {
    "format": "apprenance-network",
    "version": 1,
    "organisations": [
        {
            "slug": "mairie-vernay",
            "name": "Mairie de Vernay",
            "world": "public_action",
            "kind": "Commune",
            "territory": "Val d’Arnelle",
            "teams": [{"name": "Direction"}, {"name": "État civil", "parent": "Direction"}],
        },
        {"slug": "labo", "name": "Laboratoire LATO", "world": "science", "teams": [{"name": "Enquêtes"}]},
    ],
    "members": [
        {
            "email": "Claire.Dubois@vernay.fr",
            "first_name": "Claire",
            "last_name": "Dubois",
            "organisation": "mairie-vernay",
            "teams": ["État civil"],
            "role": "org_admin",
            "job_title": "Directrice",
            "bio": "J’aime les rituels d’équipe.",
            "languages": ["fr", "en"],
        },
        {"email": "hugo@lato.fr", "first_name": "Hugo", "last_name": "Petit", "organisation": "labo", "teams": []},
    ],
}


def test_import_creates_organisations_teams_and_members():
    report = import_network(copy.deepcopy(SMALL))
    assert report.created == {"organisations": 2, "teams": 3, "members": 2}
    claire = Member.objects.get(email="claire.dubois@vernay.fr")
    assert claire.role == "org_admin"
    assert [team.name for team in claire.teams.all()] == ["État civil"]
    assert Team.objects.get(name="État civil").parent.name == "Direction"
    assert not claire.has_usable_password()


def test_importing_the_same_file_twice_changes_nothing_the_second_time():
    import_network(copy.deepcopy(SMALL))
    before = (Member.objects.count(), Team.objects.count(), Membership.objects.count())
    report = import_network(copy.deepcopy(SMALL))
    assert not report.changed
    assert (Member.objects.count(), Team.objects.count(), Membership.objects.count()) == before


def test_a_second_import_updates_what_changed_and_leaves_absent_fields_alone():
    import_network(copy.deepcopy(SMALL))
    changed = copy.deepcopy(SMALL)
    changed["members"][0]["job_title"] = "Directrice générale"
    changed["members"][0]["teams"] = ["Direction"]
    del changed["members"][0]["role"]
    report = import_network(changed)
    assert report.updated["members"] == 1
    claire = Member.objects.get(email="claire.dubois@vernay.fr")
    assert claire.job_title == "Directrice générale"
    assert claire.role == "org_admin"
    assert [team.name for team in claire.teams.all()] == ["Direction"]


def test_one_bad_record_writes_nothing_and_names_it():
    data = copy.deepcopy(SMALL)
    data["members"].append({"email": "pas-une-adresse", "first_name": "X", "last_name": "Y", "organisation": "labo"})
    with pytest.raises(NetworkFileError) as error:
        import_network(data)
    assert error.value.problems == ["members[2].email: not a valid address"]
    assert not Organisation.objects.exists()
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(format="autre"), "format: must be 'apprenance-network'"),
        (lambda d: d["organisations"][0].update(world="mars"), "organisations[0].world: must be one of"),
        (
            lambda d: d["organisations"][1].update(slug="mairie-vernay"),
            "organisations[1].slug: 'mairie-vernay' appears",
        ),
        (lambda d: d["organisations"][0]["teams"][1].update(parent="Inconnue"), "organisations[0].teams[1].parent"),
        (lambda d: d["members"][0].update(organisation="nulle-part"), "members[0].organisation: no organisation"),
        (lambda d: d["members"][0].update(teams=["Enquêtes"]), "members[0].teams[0]: no team named 'Enquêtes'"),
        (lambda d: d["members"][1].update(email="CLAIRE.dubois@vernay.fr"), "members[1].email: 'CLAIRE.dubois"),
        (lambda d: d["members"][0].update(role="chef"), "members[0].role: must be one of"),
        (lambda d: d["members"][0].update(first_name=""), "members[0].first_name: must not be empty"),
        (lambda d: d["members"][0].update(first_name=12), "members[0].first_name: must be a string"),
        (lambda d: d["members"][0].update(languages=["français"]), "members[0].languages[0]"),
        (lambda d: d.update(members={}), "members: must be a list"),
        (lambda d: d["members"].append("texte"), "members[2]: must be an object"),
        (lambda d: d["organisations"][0]["teams"].append(3), "organisations[0].teams[2]: must be an object"),
    ],
)
def test_validation_names_each_problem_with_its_path(change, expected):
    data = copy.deepcopy(SMALL)
    change(data)
    problems = validate_network(data)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_validation_of_something_that_is_not_an_object():
    assert validate_network([1, 2]) == ["(root): must be a JSON object"]


def test_export_imports_back_identically():
    import_network(copy.deepcopy(SMALL))
    exported = export_network()
    assert exported["format"] == "apprenance-network"
    assert not import_network(copy.deepcopy(exported)).changed
    assert export_network() == exported


def test_command_prints_problems_and_fails(tmp_path, capsys):
    data = copy.deepcopy(SMALL)
    data["members"][1]["email"] = "faux"
    path = tmp_path / "reseau.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_network", str(path))
    assert "members[1].email: not a valid address" in capsys.readouterr().err
    assert not Member.objects.exists()


def test_command_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "reseau.json"
    path.write_text("{pas du json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_network", str(path))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_network", str(tmp_path / "absent.json"))


def test_export_command_writes_the_format(tmp_path):
    import_network(copy.deepcopy(SMALL))
    path = tmp_path / "export.json"
    call_command("export_network", output=str(path))
    assert json.loads(path.read_text(encoding="utf-8")) == export_network()


def test_demo_network_is_valid_and_rich_enough():
    data = json.loads((Path(settings.BASE_DIR) / "demo" / "network.json").read_text(encoding="utf-8"))
    assert validate_network(data) == []
    assert len(data["organisations"]) >= 4
    assert {org["world"] for org in data["organisations"]} == {"civil_society", "public_action", "economy", "science"}
    assert sum(len(org["teams"]) for org in data["organisations"]) >= 12
    assert len(data["members"]) >= 80


def test_load_demo_loads_once_and_prints_accounts(capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    assert "apprenance-demo" in output
    assert Member.objects.count() >= 80
    assert Member.objects.get(email="karim.benali@cc-valdarnelle.example").check_password("apprenance-demo")
    assert "3 demo circles loaded" in output
    call_command("load_demo")
    assert "already holds a network" in capsys.readouterr().out
