import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from apprenance.core.models import Delivery
from apprenance.people import services
from apprenance.people.models import Invitation, Member, hash_token

pytestmark = pytest.mark.django_db


def invite(client, **data):
    payload = {"role": "member", "emails": "", **data}
    return client.post(reverse("people:invite", args=["mairie-vernay"]), payload)


def link_in_last_mail():
    return re.search(r"http://\S+/invitations/(\S+)/", mail.outbox[-1].body).group(0)


def test_admin_invites_one_person_who_receives_a_link(people, signed_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(signed_in(people.admin), emails="Nouvelle.Recrue@Exemple.fr", teams=[people.team.pk])
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nouvelle.recrue@exemple.fr"
    assert list(invitation.teams.all()) == [people.team]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nouvelle.recrue@exemple.fr"]
    assert "Mairie de Vernay" in mail.outbox[0].subject
    assert invitation.token_hash not in mail.outbox[0].body  # only the hash is stored
    html, mimetype = mail.outbox[0].alternatives[0]
    assert mimetype == "text/html"
    assert "Créer mon compte" in html


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("email;nom\r\nanne.durand@exemple.fr;Durand\r\nbenoit.lefevre@exemple.fr;Lefèvre\r\n", "utf-8-sig"),
        ("Adresse e-mail,Nom\nanne.durand@exemple.fr,Durand\nbenoit.lefevre@exemple.fr,Lefèvre\n", "utf-8"),
        ("email;nom\r\nanne.durand@exemple.fr;Durand\r\nbenoit.lefevre@exemple.fr;Lefèvre\r\n", "cp1252"),
    ],
)
def test_admin_invites_from_an_excel_csv(people, signed_in, content, encoding):
    upload = SimpleUploadedFile("liste.csv", content.encode(encoding), content_type="text/csv")
    response = invite(signed_in(people.admin), file=upload)
    assert response.status_code == 302
    assert Invitation.objects.count() == 2
    assert Invitation.objects.filter(email="anne.durand@exemple.fr").exists()


def test_a_csv_with_a_bad_address_names_the_line_and_sends_nothing(people, signed_in):
    content = "anne.durand@exemple.fr\npas-une@adresse@\n"
    upload = SimpleUploadedFile("liste.csv", content.encode(), content_type="text/csv")
    response = invite(signed_in(people.admin), file=upload)
    assert response.status_code == 200
    assert "ligne 2" in response.text
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_inviting_someone_who_already_has_an_account_is_refused(people, signed_in):
    response = invite(signed_in(people.admin), emails=people.outsider.email.upper())
    assert response.status_code == 200
    assert "déjà un compte" in response.text
    assert not Invitation.objects.exists()


def test_an_empty_invitation_form_explains_what_is_missing(people, signed_in):
    response = invite(signed_in(people.admin))
    assert "Indiquez au moins une adresse" in response.text


def test_invited_person_creates_an_account_and_is_signed_in(
    people, client, signed_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in(people.admin), emails="anne@exemple.fr", role="animator", teams=[people.team.pk])
    client.logout()
    link = link_in_last_mail()
    assert client.get(link).status_code == 200
    response = client.post(
        link,
        {
            "first_name": "Anne",
            "last_name": "Durand",
            "password1": "Un-vrai-secret-42",
            "password2": "Un-vrai-secret-42",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(email="anne@exemple.fr")
    assert member.organisation == people.organisation
    assert member.role == "animator"
    assert list(member.teams.all()) == [people.team]
    assert client.get(reverse("core:home")).status_code == 200


def test_an_invitation_link_works_only_once(people, client, signed_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in(people.admin), emails="anne@exemple.fr")
    client.logout()
    link = link_in_last_mail()
    data = {
        "first_name": "Anne",
        "last_name": "Durand",
        "password1": "Un-vrai-secret-42",
        "password2": "Un-vrai-secret-42",
    }
    client.post(link, data)
    client.logout()
    again = client.post(link, {**data, "first_name": "Intruse"})
    assert again.status_code == 410
    assert "déjà servi" in again.text
    assert Member.objects.get(email="anne@exemple.fr").first_name == "Anne"


def test_an_expired_invitation_is_refused_with_a_clear_page(
    people, client, signed_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in(people.admin), emails="anne@exemple.fr")
    client.logout()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(link_in_last_mail())
    assert response.status_code == 410
    assert "a expiré" in response.text


def test_a_revoked_or_unknown_invitation_is_refused(people, client, signed_in, django_capture_on_commit_callbacks):
    admin = signed_in(people.admin)
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin, emails="anne@exemple.fr")
    link = link_in_last_mail()
    invitation = Invitation.objects.get()
    admin.post(reverse("people:revoke_invitation", args=["mairie-vernay", invitation.pk]))
    client.logout()
    assert "annulée" in client.get(link).text
    assert client.get("/invitations/nimporte-quoi/").status_code == 410


def test_inviting_again_replaces_the_pending_invitation(people, signed_in, django_capture_on_commit_callbacks):
    client = signed_in(people.admin)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, emails="anne@exemple.fr")
        invite(client, emails="anne@exemple.fr")
    assert Invitation.objects.pending().count() == 1
    assert Invitation.objects.count() == 2


def test_account_creation_with_a_weak_password_changes_nothing(
    people, client, signed_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in(people.admin), emails="anne@exemple.fr")
    client.logout()
    response = client.post(
        link_in_last_mail(), {"first_name": "Anne", "last_name": "Durand", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert not Member.objects.filter(email="anne@exemple.fr").exists()
    assert Invitation.objects.pending().count() == 1


def test_other_organisation_admin_cannot_revoke(people, signed_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in(people.admin), emails="anne@exemple.fr")
    invitation = Invitation.objects.get()
    response = signed_in(people.other_admin).post(
        reverse("people:revoke_invitation", args=["mairie-vernay", invitation.pk])
    )
    assert response.status_code == 403
    assert Invitation.objects.pending().count() == 1


def test_a_mail_server_failure_keeps_the_invitations_and_sends_the_others(
    people, signed_in, django_capture_on_commit_callbacks, monkeypatch
):
    real_send = EmailMultiAlternatives.send

    def flaky_send(message, *args, **kwargs):
        if message.to == ["refus@exemple.fr"]:
            raise OSError("connexion refusée")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky_send)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(signed_in(people.admin), emails="refus@exemple.fr, anne@exemple.fr")
    assert response.status_code == 302
    assert Invitation.objects.count() == 2
    assert [message.to for message in mail.outbox] == [["anne@exemple.fr"]]
    assert not Delivery.objects.filter(key__startswith="invitation-email:", status="claimed").exists()


def test_an_invitation_email_goes_once_even_if_sending_is_attempted_again(people):
    invitation = Invitation.objects.create(
        organisation=people.organisation,
        email="anne@exemple.fr",
        token_hash=hash_token("jeton"),
        invited_by=people.admin,
        expires_at=timezone.now() + timedelta(days=1),
    )
    services.send_invitation_email(invitation, "jeton")
    services.send_invitation_email(invitation, "jeton")  # a retried commit hook, a second worker…
    assert len(mail.outbox) == 1
