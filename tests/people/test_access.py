import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def private_urls(people):
    return [
        reverse("core:home"),
        reverse("people:directory"),
        reverse("people:member", args=[people.owner.pk]),
        reverse("people:profile_edit"),
        reverse("people:my_data"),
        reverse("people:my_data_download"),
        reverse("people:password_change"),
        reverse("people:organisations"),
        reverse("people:organisation", args=["mairie-vernay"]),
        reverse("people:team", args=["mairie-vernay", people.team.pk]),
        reverse("people:manage", args=["mairie-vernay"]),
        reverse("people:invite", args=["mairie-vernay"]),
        reverse("api_tokens:tokens"),
    ]


def test_every_private_page_sends_anonymous_visitors_to_sign_in(people, client):
    for url in private_urls(people):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("people:login") + "?next="), url


def test_a_deactivated_member_is_signed_out(people, signed_in):
    client = signed_in(people.owner)
    people.owner.is_active = False
    people.owner.save()
    assert client.get(reverse("people:directory")).status_code == 302


def test_member_changes_their_password(people, signed_in):
    client = signed_in(people.owner)
    wrong = client.post(
        reverse("people:password_change"),
        {"old_password": "faux", "new_password1": "Nouveau-secret-99", "new_password2": "Nouveau-secret-99"},
    )
    assert wrong.status_code == 200
    assert "old_password" in wrong.context["form"].errors
    done = client.post(
        reverse("people:password_change"),
        {
            "old_password": "mot-de-passe-solide",
            "new_password1": "Nouveau-secret-99",
            "new_password2": "Nouveau-secret-99",
        },
    )
    assert done.status_code == 302
    people.owner.refresh_from_db()
    assert people.owner.check_password("Nouveau-secret-99")
