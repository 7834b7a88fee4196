import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post(reverse("people:login"), {"username": email, "password": password})


def test_member_signs_in_with_email_in_any_case(people, client):
    response = sign_in(client, people.owner.email.upper(), "mot-de-passe-solide")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_wrong_password_gets_a_clear_message(people, client):
    response = sign_in(client, people.owner.email, "faux")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.text


def test_repeated_failures_lock_that_account_from_that_address(people, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        sign_in(client, people.owner.email, "faux")
    locked = sign_in(client, people.owner.email, "mot-de-passe-solide")
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.text
    assert sign_in(client, people.colleague.email, "mot-de-passe-solide").status_code == 302


def test_sign_out_is_a_post(people, signed_in):
    client = signed_in(people.owner)
    assert client.post(reverse("people:logout")).status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_password_reset_by_email(people, client):
    response = client.post(reverse("people:password_reset"), {"email": people.owner.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Choisir un nouveau mot de passe" in mail.outbox[0].alternatives[0][0]
    link = re.search(r"http://\S+/mot-de-passe/nouveau/\S+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    assert "Choisissez un nouveau mot de passe" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Encore-un-secret-77", "new_password2": "Encore-un-secret-77"},
    )
    assert done.status_code == 302
    assert sign_in(client, people.owner.email, "Encore-un-secret-77").status_code == 302


def test_password_reset_for_an_unknown_address_reveals_nothing(db, client):
    response = client.post(reverse("people:password_reset"), {"email": "personne@exemple.fr"}, follow=True)
    assert "Si un compte correspond" in response.text
    assert not mail.outbox


def test_signed_in_member_visiting_sign_in_goes_home(people, signed_in):
    assert signed_in(people.owner).get(reverse("people:login")).status_code == 302
