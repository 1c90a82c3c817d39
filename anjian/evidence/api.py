"""/api/v1/photos: evidence a device uploads before the record that uses it."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from pydantic import BaseModel

from anjian.accounts.typing import AuthedRequest
from anjian.evidence.services import save_photo
from anjian.lib.api import errors

router = Router(tags=["field work"])


class PhotoOut(BaseModel):
    id: int
    content_type: str
    size: int
    sha256: str


@router.post("/photos", response={201: PhotoOut, 200: PhotoOut, **errors(401, 422)})
def upload_photo(
    request: AuthedRequest,
    file: File[UploadedFile],
    client_uuid: Form[uuid.UUID],
    latitude: Form[Decimal | None] = None,
    longitude: Form[Decimal | None] = None,
) -> Status[dict[str, Any]]:
    """Upload one photo (JPEG, PNG or WebP, checked by content) before the record that
    uses it; a retry with the same `client_uuid` returns the first photo."""
    photo, created = save_photo(
        file, by=request.user, client_uuid=client_uuid, latitude=latitude, longitude=longitude
    )
    return Status(
        201 if created else 200,
        {
            "id": photo.pk,
            "content_type": photo.content_type,
            "size": photo.size,
            "sha256": photo.sha256,
        },
    )
