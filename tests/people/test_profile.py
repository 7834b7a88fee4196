import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apprenance.core.models import Event
from apprenance.people.models import ProfileVisibility

pytestmark = pytest.mark.django_db


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#1b5e8c").save(buffer, format="PNG")
    return buffer.getvalue()


PNG_1PX = png_bytes()


def test_profile_shows_job_bio_and_teams(people, signed_in):
    people.colleague.bio = "J’anime le **café des managers**."
    people.colleague.save()
    response = signed_in(people.owner).get(reverse("people:member", args=[people.colleague.pk]))
    assert people.colleague.job_title in response.text
    assert "<strong>café des managers</strong>" in response.text
    assert "État civil" in response.text


def test_hidden_profile_is_not_found_from_another_organisation(people, signed_in):
    people.owner.profile_visibility = ProfileVisibility.ORGANISATION
    people.owner.save()
    assert signed_in(people.outsider).get(reverse("people:member", args=[people.owner.pk])).status_code == 404


def test_hidden_profile_is_visible_to_colleagues_and_network_admins(people, signed_in):
    people.owner.profile_visibility = ProfileVisibility.ORGANISATION
    people.owner.save()
    url = reverse("people:member", args=[people.owner.pk])
    assert signed_in(people.colleague).get(url).status_code == 200
    assert signed_in(people.network_admin).get(url).status_code == 200


def test_unknown_member_is_a_404(people, signed_in):
    assert signed_in(people.owner).get("/membres/999999/").status_code == 404
    assert signed_in(people.owner).get("/membres/abc/").status_code == 404


def test_deactivated_member_profile_is_not_found(people, signed_in):
    people.colleague.is_active = False
    people.colleague.save()
    assert signed_in(people.owner).get(reverse("people:member", args=[people.colleague.pk])).status_code == 404


def test_member_edits_own_profile_and_it_is_logged(people, signed_in):
    client = signed_in(people.owner)
    response = client.post(
        reverse("people:profile_edit"),
        {
            "first_name": " Claire ",
            "last_name": "Dubois",
            "job_title": "Responsable de l’état civil",
            "bio": "Bonjour",
            "languages": ["fr", "en"],
            "profile_visibility": "organisation",
            "photo": SimpleUploadedFile("moi.png", PNG_1PX, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    people.owner.refresh_from_db()
    assert people.owner.first_name == "Claire"
    assert people.owner.languages == ["fr", "en"]
    assert people.owner.profile_visibility == "organisation"
    assert people.owner.photo.name.startswith("photos/")
    assert Event.objects.filter(actor=people.owner, verb="member.profile_updated").exists()


def test_profile_with_an_oversized_photo_changes_nothing(people, signed_in, settings):
    settings.MAX_IMAGE_BYTES = 10
    client = signed_in(people.owner)
    response = client.post(
        reverse("people:profile_edit"),
        {
            "first_name": "Autre",
            "last_name": "Nom",
            "profile_visibility": "network",
            "photo": SimpleUploadedFile("moi.png", PNG_1PX, content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert "la limite est de" in response.text
    people.owner.refresh_from_db()
    assert people.owner.first_name == "Claire"


def test_profile_with_a_file_that_is_not_an_image_is_refused(people, signed_in):
    response = signed_in(people.owner).post(
        reverse("people:profile_edit"),
        {
            "first_name": "Claire",
            "last_name": "X",
            "profile_visibility": "network",
            "photo": SimpleUploadedFile("moi.png", b"not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]


def test_profile_requires_a_name(people, signed_in):
    response = signed_in(people.owner).post(
        reverse("people:profile_edit"), {"first_name": "", "last_name": "", "profile_visibility": "network"}
    )
    assert response.status_code == 200
    assert "first_name" in response.context["form"].errors


def test_profile_page_shows_a_bio_change_at_once(people, signed_in):
    url = reverse("people:member", args=[people.owner.pk])
    viewer = signed_in(people.colleague)
    assert "Pas encore de présentation" in viewer.get(url).text
    signed_in(people.owner).post(
        reverse("people:profile_edit"),
        {
            "first_name": "Claire",
            "last_name": "Dubois",
            "bio": "J’anime le *café RH*.",
            "profile_visibility": "network",
        },
    )
    response = signed_in(people.colleague).get(url)
    assert "<em>café RH</em>" in response.text


def test_a_hidden_members_photo_is_not_served_to_other_organisations(people, signed_in):
    signed_in(people.owner).post(
        reverse("people:profile_edit"),
        {
            "first_name": "Claire",
            "last_name": "Dubois",
            "profile_visibility": "organisation",
            "photo": SimpleUploadedFile("moi.png", PNG_1PX, content_type="image/png"),
        },
    )
    people.owner.refresh_from_db()
    url = people.owner.photo.url
    assert signed_in(people.colleague).get(url).status_code == 200
    assert signed_in(people.outsider).get(url).status_code == 404
    assert signed_in(people.outsider).get("/media/photos/inconnue.png").status_code == 404
    assert signed_in(people.outsider).get("/media/../settings.py").status_code == 404
