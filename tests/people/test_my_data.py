import json

import pytest
from django.urls import reverse

from apprenance.api.models import ApiToken
from apprenance.core.models import Event

pytestmark = pytest.mark.django_db


def test_member_downloads_all_their_data(people, signed_in):
    ApiToken.issue(people.owner, "tableau RH")
    client = signed_in(people.owner)
    client.post(
        reverse("people:profile_edit"), {"first_name": "Claire", "last_name": "Dubois", "profile_visibility": "network"}
    )
    response = client.get(reverse("people:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["email"] == people.owner.email
    assert data["profile"]["teams"] == ["État civil"]
    assert data["api_tokens"][0]["name"] == "tableau RH"
    assert "member.profile_updated" in [event["verb"] for event in data["activity"]]
    assert Event.objects.filter(actor=people.owner, verb="member.data_exported").exists()


def test_the_export_holds_only_the_members_own_activity(people, signed_in):
    signed_in(people.colleague).post(
        reverse("people:profile_edit"),
        {"first_name": "Autre", "last_name": "Personne", "profile_visibility": "network"},
    )
    data = json.loads(signed_in(people.owner).get(reverse("people:my_data_download")).content)
    assert "member.profile_updated" not in [event["verb"] for event in data["activity"]]


def test_my_data_page_explains_and_links_the_download(people, signed_in):
    response = signed_in(people.owner).get(reverse("people:my_data"))
    assert reverse("people:my_data_download") in response.text
