import pytest
from django.core.cache import cache

from apprenance.core import ranking
from apprenance.questions import routing
from tests.people.factories import MemberFactory, OrganisationFactory, TeamFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    cache.clear()
    # Kept per data generation, and every test's database starts again from the same generations.
    ranking._matrices.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "fr"
    # Each test rolls back, so ids and data generations come round again: meanings and skill
    # names kept in this process for an earlier test would pass for this one's.
    ranking._matrices.clear()
    routing.skill_stems_by_id.cache_clear()


class Personas:
    """Everyone a permission test needs, in two organisations of the network."""

    def __init__(self):
        self.organisation = OrganisationFactory(name="Mairie de Vernay", slug="mairie-vernay", world="public_action")
        self.other_organisation = OrganisationFactory(name="Banque d’Arnelle", slug="banque-arnelle", world="economy")
        self.team = TeamFactory(organisation=self.organisation, name="État civil")
        self.other_team = TeamFactory(organisation=self.other_organisation, name="Agence centre")
        self.owner = MemberFactory(organisation=self.organisation, teams=[self.team], first_name="Claire")
        self.colleague = MemberFactory(organisation=self.organisation, teams=[self.team])
        self.animator = MemberFactory(organisation=self.organisation, role="animator")
        self.admin = MemberFactory(organisation=self.organisation, role="org_admin")
        self.outsider = MemberFactory(organisation=self.other_organisation, teams=[self.other_team])
        self.other_admin = MemberFactory(organisation=self.other_organisation, role="org_admin")
        self.network_admin = MemberFactory(organisation=self.other_organisation, role="network_admin")


@pytest.fixture
def people(db):
    return Personas()


@pytest.fixture
def signed_in(client):
    """Sign a member in on the test client and return the client."""

    def sign_in(member):
        client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
