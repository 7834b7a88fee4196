import pytest
from django.urls import reverse

from apprenance.api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_member_creates_a_token_seen_once_that_opens_the_api(people, signed_in, client):
    page = signed_in(people.owner).post(reverse("api_tokens:tokens"), {"name": " Tableau de bord RH "})
    key = page.context["new_key"]
    assert key.startswith("apr_")
    assert key in page.text
    assert ApiToken.objects.get().name == "Tableau de bord RH"
    assert key not in signed_in(people.owner).get(reverse("api_tokens:tokens")).text
    client.logout()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).json()["email"] == people.owner.email


def test_a_token_needs_a_name(people, signed_in):
    response = signed_in(people.owner).post(reverse("api_tokens:tokens"), {"name": "  "})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_member_revokes_their_token_after_confirming(people, signed_in):
    token, _key = ApiToken.issue(people.owner, "x")
    client = signed_in(people.owner)
    confirm = client.get(reverse("api_tokens:revoke", args=[token.pk]))
    assert "Révoquer le jeton « x » ?" in confirm.text
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert client.get(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_else_can_revoke_a_token(people, signed_in):
    token, _key = ApiToken.issue(people.owner, "x")
    for persona in (people.colleague, people.admin, people.network_admin):
        assert signed_in(persona).post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_tokens_page_lists_only_ones_own_tokens(people, signed_in):
    ApiToken.issue(people.colleague, "outil de la collègue")
    assert "outil de la collègue" not in signed_in(people.owner).get(reverse("api_tokens:tokens")).text
