"""Keeping evidence: the content check, the retry-safe upload with its audit entry, and
serving a photo to those who may see a record it is attached to."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.audit.log import record
from anjian.evidence.models import Photo
from anjian.lib.errors import InvalidInput
from anjian.lib.once import create_once
from anjian.lib.scoping import scope_of

# The first bytes of each type we keep: a photo is what its bytes say, not its name.
PHOTO_TYPES = {
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/webp": b"RIFF",
}


class EvidenceError(InvalidInput):
    """A file that cannot be kept as evidence, or a reference to evidence that is not the
    user's; names the field."""


def check_photo(upload: UploadedFile) -> tuple[str, int, str]:
    """(content type, size, SHA-256) of an upload that is a photo within the size limit."""
    limit = settings.PHOTO_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise EvidenceError(_("The photo is empty."), "file")
    if upload.size > limit:
        raise EvidenceError(
            _("The photo is %(s).1f MB; the limit is %(l).1f MB.")
            % {"s": upload.size / 1e6, "l": limit / 1e6},
            "file",
        )
    head = upload.read(16)
    upload.seek(0)
    kind = next((t for t, magic in PHOTO_TYPES.items() if head.startswith(magic)), None)
    if kind is None or (kind == "image/webp" and head[8:12] != b"WEBP"):
        raise EvidenceError(_("Only JPEG, PNG or WebP photos can be uploaded."), "file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind, upload.size, digest.hexdigest()


def save_photo(
    upload: UploadedFile,
    *,
    by: Any,
    client_uuid: uuid.UUID,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    taken_at: datetime.datetime | None = None,
) -> tuple[Photo, bool]:
    """Keep an uploaded photo after checking its size and that its bytes are an image of
    the type it claims; every photo kept is written to the audit trail. A retry with the
    same client_uuid returns the first photo."""
    written: list[Photo] = []

    def create() -> Photo:
        kind, size, sha256 = check_photo(upload)
        photo = Photo(
            client_uuid=client_uuid,
            content_type=kind,
            size=size,
            sha256=sha256,
            uploaded_by=by,
            latitude=latitude,
            longitude=longitude,
            taken_at=taken_at or timezone.now(),
            zone_id=scope_of(by).zone_id,
        )
        photo.file.save(f"{client_uuid}.{kind.split('/')[1]}", upload, save=False)
        written.append(photo)
        photo.save()
        record(
            by,
            "photo.upload",
            photo,
            changes={"content_type": kind, "size": size, "sha256": sha256},
        )
        return photo

    def discard() -> None:
        # Lost the race to a retry of the same upload: drop the file this attempt wrote.
        for photo in written:
            photo.file.delete(save=False)

    return create_once(
        Photo, client_uuid, create, by=by, owner="uploaded_by", discard=discard, error=EvidenceError
    )


def photos_for(user: Any, ids: list[int]) -> list[Photo]:
    """Photos the user uploaded, by id; an id that is not theirs is an error."""
    photos = list(Photo.objects.filter(pk__in=ids, uploaded_by=user))
    if len(photos) != len(set(ids)):
        raise EvidenceError(_("A photo id is unknown or not yours."), "photos")
    return photos


def attached_photo(photo_pk: int, attached: Q) -> Photo:
    """The photo `photo_pk` if it is attached where `attached` says (to a record the caller
    has already found in the viewer's scope); else not found."""
    photo = Photo.objects.filter(pk=photo_pk).filter(attached).distinct().first()
    if photo is None:
        raise Http404("photo")
    return photo


def serve(photo: Photo) -> FileResponse:
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    # Private: a shared cache must never hand one enterprise's evidence to another user.
    response["Cache-Control"] = "private, max-age=86400"
    return response
