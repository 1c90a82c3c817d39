"""Photo uploads: checked by their bytes and size, kept once per client UUID, usable only by
the person who took them."""

from __future__ import annotations

import hashlib
import uuid
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from anjian.accounts.models import User
from anjian.evidence.models import Photo
from anjian.evidence.services import EvidenceError, photos_for, save_photo
from anjian.hazards.models import Status
from anjian.hazards.tests.factories import JPEG, PNG, WEBP, HazardWorld, general, make_photo
from anjian.hazards.workflow import register_hazard

URL = "/api/v1/photos"


class PhotoApiTests(HazardWorld):
    def upload(self, user: User | None, content: bytes, name: str = "p.jpg", **fields: Any) -> Any:
        if user is not None:
            self.client.force_login(user)
        fields.setdefault("client_uuid", str(uuid.uuid4()))
        return self.client.post(URL, {"file": SimpleUploadedFile(name, content), **fields})

    def assert_refused(self, r: Any, field: str, text: str) -> None:
        self.assertEqual(r.status_code, 422, r.content)
        messages = {e["field"]: e["message"] for e in r.json()["errors"]}
        self.assertIn(field, messages)
        self.assertIn(text, messages[field])

    def test_anonymous_cannot_upload(self) -> None:
        self.assertEqual(self.upload(None, JPEG).status_code, 401)
        self.assertFalse(Photo.objects.exists())

    def test_jpeg_png_and_webp_are_kept_with_their_type_size_and_digest(self) -> None:
        for content, kind in ((JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp")):
            with self.subTest(kind=kind):
                r = self.upload(
                    self.zhang, content, name="photo.bin", latitude="31.3", longitude="120.6"
                )
                self.assertEqual(r.status_code, 201, r.content)
                body = r.json()
                self.assertEqual(
                    (body["content_type"], body["size"], body["sha256"]),
                    (kind, len(content), hashlib.sha256(content).hexdigest()),
                )
                photo = Photo.objects.get(pk=body["id"])
                self.assertEqual(photo.uploaded_by, self.zhang)
                self.assertEqual(photo.zone, self.zone)
                self.assertEqual(
                    (photo.latitude, photo.longitude), (Decimal("31.3"), Decimal("120.6"))
                )
                with photo.file.open("rb") as f:
                    self.assertEqual(f.read(), content)

    def test_a_text_file_named_jpg_is_refused(self) -> None:
        r = self.upload(self.zhang, b"just some text, not a photo", name="evidence.jpg")
        self.assert_refused(r, "file", "Only JPEG, PNG or WebP")
        self.assertFalse(Photo.objects.exists())

    def test_a_riff_file_that_is_not_webp_is_refused(self) -> None:
        wav = b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 32
        self.assert_refused(self.upload(self.zhang, wav, name="p.webp"), "file", "Only JPEG")

    def test_an_empty_file_is_refused(self) -> None:
        self.assert_refused(self.upload(self.zhang, b""), "file", "empty")

    @override_settings(PHOTO_MAX_BYTES=len(JPEG))
    def test_a_photo_over_the_size_limit_is_refused(self) -> None:
        self.assert_refused(self.upload(self.zhang, JPEG + b"\x00"), "file", "limit")
        self.assertEqual(self.upload(self.zhang, JPEG).status_code, 201)
        self.assertEqual(Photo.objects.count(), 1)

    def test_missing_client_uuid_is_named(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.post(URL, {"file": SimpleUploadedFile("p.jpg", JPEG)})
        self.assertEqual(r.status_code, 422)
        self.assertIn("client_uuid", [e["field"] for e in r.json()["errors"]])

    def test_retry_with_the_same_client_uuid_returns_the_first_photo(self) -> None:
        key = str(uuid.uuid4())
        first = self.upload(self.zhang, JPEG, client_uuid=key)
        again = self.upload(self.zhang, JPEG, client_uuid=key)
        self.assertEqual((first.status_code, again.status_code), (201, 200))
        self.assertEqual(first.json(), again.json())
        self.assertEqual(Photo.objects.count(), 1)

    def test_someone_elses_client_uuid_is_refused(self) -> None:
        key = str(uuid.uuid4())
        self.upload(self.zhang, JPEG, client_uuid=key)
        r = self.upload(self.wang, PNG, client_uuid=key)
        self.assert_refused(r, "client_uuid", "another")
        self.assertEqual(Photo.objects.get().uploaded_by, self.zhang)


class PhotoOwnershipTests(HazardWorld):
    def test_photos_for_returns_only_the_users_own_photos(self) -> None:
        mine, theirs = make_photo(self.zhang), make_photo(self.wang)
        self.assertEqual(photos_for(self.zhang, [mine.pk]), [mine])
        for ids in ([theirs.pk], [mine.pk, theirs.pk], [999999]):
            with self.subTest(ids=ids), self.assertRaises(EvidenceError) as caught:
                photos_for(self.zhang, ids)
            self.assertEqual(caught.exception.field, "photos")

    def test_another_users_photo_is_refused_in_a_transition(self) -> None:
        hazard = register_hazard(self.ea, general(), by=self.zhang)
        theirs = make_photo(self.wang)
        self.client.force_login(self.zhao)
        r = self.client.post(
            f"/api/v1/hazards/{hazard.pk}/transitions",
            {"action": "submit", "version": hazard.version, "photos": [theirs.pk]},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 422, r.content)
        self.assertEqual(r.json()["errors"][0]["field"], "photos")
        hazard.refresh_from_db()
        self.assertEqual((hazard.status, hazard.events.count()), (Status.RECTIFYING, 1))

    def test_save_photo_checks_the_bytes_not_the_name(self) -> None:
        photo, created = save_photo(
            SimpleUploadedFile("looks-like.txt", PNG), by=self.zhao, client_uuid=uuid.uuid4()
        )
        self.assertTrue(created)
        self.assertEqual(photo.content_type, "image/png")
        self.assertTrue(str(photo.file.name).endswith(".png"))


class PhotoAuditTests(HazardWorld):
    def test_every_photo_kept_is_in_the_audit_trail_once(self) -> None:
        from anjian.audit.models import Entry

        key = uuid.uuid4()
        photo, created = save_photo(
            SimpleUploadedFile("a.jpg", JPEG), by=self.zhang, client_uuid=key
        )
        again, created_again = save_photo(
            SimpleUploadedFile("a.jpg", JPEG), by=self.zhang, client_uuid=key
        )
        self.assertEqual((created, created_again, again), (True, False, photo))
        entry = Entry.objects.get(action="photo.upload")
        self.assertEqual(entry.object_id, str(photo.pk))
        self.assertEqual(entry.actor, self.zhang)
        self.assertEqual(entry.zone, self.zone)
        self.assertEqual(entry.changes["sha256"], hashlib.sha256(JPEG).hexdigest())

    def test_a_refused_file_leaves_no_entry_and_no_row(self) -> None:
        from anjian.audit.models import Entry

        with self.assertRaises(EvidenceError):
            save_photo(
                SimpleUploadedFile("a.txt", b"not a photo"), by=self.zhang, client_uuid=uuid.uuid4()
            )
        self.assertFalse(Entry.objects.filter(action="photo.upload").exists())
        self.assertFalse(Photo.objects.exists())
