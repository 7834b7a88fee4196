"""What a practice may carry as attachments: images, PDF documents and short videos.

The type is recognised from the file's first bytes, not from its name or the browser's word for
it, and each type has its own size limit (settings.ATTACHMENT_LIMITS, in megabytes).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from apprenance.practices.models import Attachment

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


@dataclass(frozen=True)
class Recognised:
    kind: str
    extension: str


def recognise(upload) -> Recognised | None:
    """The kind of an uploaded file from its content, or None when it is none we accept."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return Recognised(Attachment.FileKind.PDF, "pdf")
    if head[4:8] == b"ftyp":
        return Recognised(Attachment.FileKind.VIDEO, "mp4")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Recognised(Attachment.FileKind.VIDEO, "webm")
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)
    if image_format in IMAGE_FORMATS:
        return Recognised(Attachment.FileKind.IMAGE, IMAGE_FORMATS[image_format])
    return None


def validate_attachment(upload) -> Recognised:
    """The recognised kind of an acceptable upload; a clear ValidationError otherwise."""
    recognised = recognise(upload)
    if recognised is None:
        raise ValidationError(
            _("Ce fichier n’est ni une image (JPEG, PNG, GIF, WebP), ni un PDF, ni une vidéo (MP4, WebM)."),
            code="type",
        )
    limit_mb = settings.ATTACHMENT_LIMITS[recognised.kind]
    if upload.size > limit_mb * 1_048_576:
        raise ValidationError(
            _("Ce fichier pèse %(size)s Mo : la limite est de %(limit)s Mo pour ce type de fichier."),
            code="size",
            params={"size": round(upload.size / 1_048_576, 1), "limit": limit_mb},
        )
    return recognised
