"""Attachments: recognised from their content, limited in size, served to those who may read the practice."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apprenance.practices.models import Attachment
from tests.practices.factories import practice

pytestmark = pytest.mark.django_db


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(client, target, filename, content, caption=""):
    data = {"file": SimpleUploadedFile(filename, content), "name": caption}
    return client.post(f"/pratiques/{target.pk}/pieces-jointes/", data, follow=True)


def test_an_image_a_pdf_and_a_video_are_accepted_and_shown(people, signed_in):
    created = practice(people.owner)
    client = signed_in(people.owner)
    upload(client, created, "tableau.png", png_bytes(), caption="Le tableau de l’équipe")
    upload(client, created, "modele.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n")
    upload(client, created, "film.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    kinds = sorted(Attachment.objects.values_list("kind", flat=True))
    assert kinds == ["image", "pdf", "video"]
    page = signed_in(people.colleague).get(created.get_absolute_url()).content.decode()
    assert 'alt="Le tableau de l’équipe"' in page
    assert "modele.pdf" in page
    assert "<video controls" in page
    stored = Attachment.objects.get(kind="image").file.name
    assert stored.startswith("practices/")
    assert stored.endswith(".png")
    assert "tableau" not in stored  # names on disk are ours


def test_a_file_of_another_type_is_refused_whatever_its_name(people, signed_in):
    created = practice(people.owner)
    response = upload(signed_in(people.owner), created, "rapport.pdf", b"MZ\x90\x00 not a pdf")
    assert "ni une image" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_over_its_limit_is_refused_with_its_size(people, signed_in, settings):
    settings.ATTACHMENT_LIMITS = {"image": 5, "pdf": 1, "video": 50}
    created = practice(people.owner)
    big = b"%PDF-1.4\n" + b"0" * (1_200_000)
    response = upload(signed_in(people.owner), created, "gros.pdf", big)
    assert "la limite est de 1 Mo" in response.content.decode()
    assert not Attachment.objects.exists()


def test_only_editors_attach_and_removing_asks_first(people, signed_in):
    created = practice(people.owner)
    assert signed_in(people.colleague).get(f"/pratiques/{created.pk}/pieces-jointes/").status_code == 403
    client = signed_in(people.owner)
    upload(client, created, "tableau.png", png_bytes())
    attachment = Attachment.objects.get()
    url = f"/pratiques/{created.pk}/pieces-jointes/{attachment.pk}/retirer/"
    assert "Retirer « tableau.png » ?" in client.get(url).content.decode()
    client.post(url)
    assert not Attachment.objects.exists()


def test_files_follow_the_visibility_of_their_practice(people, signed_in):
    secret = practice(people.owner, visibility="organisation")
    upload(signed_in(people.owner), secret, "tableau.png", png_bytes())
    url = Attachment.objects.get().file.url
    assert signed_in(people.colleague).get(url).status_code == 200
    assert signed_in(people.outsider).get(url).status_code == 404
