"""Object storage (issue 16, item 1): materials and notice PDFs go through Django's storage API, the local folder
or a private S3 bucket (moto's server mode here), and are only ever served by the application after its
permission check. Each test runs on both; the bucket's own tests only on the bucket."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader
from pytest_django.fixtures import Settings as SettingsWrapper

from jifen.service.applications.models import Application
from jifen.service.notices.stored import open_pdf, pdf_name, store_pdf
from tests.s3_server import S3Server, moto_server
from tests.service.conftest import World
from tests.service.test_notice_pdf import approve

PDF = b"%PDF-1.7\n% a contract\n%%EOF\n"
DIGEST = hashlib.sha256(PDF).hexdigest()[:16]  # the stored file's name (applications.uploads)
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
READY = {"database": "ok", "migrations": "ok", "storage": "ok", "cache": "ok"}


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """One moto server for the module; every test has a bucket of its own on it."""
    with moto_server(tmp_path_factory.mktemp("moto")) as server:
        yield server


@dataclass
class Place:
    """Where the default storage keeps files in one test: a folder (MEDIA_ROOT) or a bucket."""

    media: Path
    server: S3Server | None = None
    bucket: str | None = None

    def files(self) -> dict[str, bytes]:
        """Every file kept: its storage name and its bytes."""
        if self.server is not None and self.bucket is not None:
            return self.server.objects(self.bucket)
        return {p.relative_to(self.media).as_posix(): p.read_bytes() for p in self.media.rglob("*") if p.is_file()}

    def local_files(self) -> list[Path]:
        return [p for p in self.media.rglob("*") if p.is_file()]


def _bucket(request: pytest.FixtureRequest, settings: SettingsWrapper, media: Path, **options: Any) -> Place:
    server: S3Server = request.getfixturevalue("s3")
    bucket = server.new_bucket()
    # the settings fixture sends setting_changed: Django drops its storages and default_storage's object
    settings.STORAGES = {**settings.STORAGES, "default": server.storage(bucket, **options)}
    return Place(media, server, bucket)


@pytest.fixture(params=["folder", "bucket"])
def place(request: pytest.FixtureRequest, settings: SettingsWrapper, tmp_path: Path) -> Place:
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    if request.param == "folder":
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        }
        return Place(media)
    return _bucket(request, settings, media)


@pytest.fixture
def bucket(request: pytest.FixtureRequest, settings: SettingsWrapper, tmp_path: Path) -> Place:
    settings.MEDIA_ROOT = tmp_path / "media"
    return _bucket(request, settings, tmp_path / "media")


def upload(world: World, draft: Application, name: str = "contract.pdf", content: bytes = PDF) -> str:
    response = world.agent_a.upload(
        f"/api/v1/applications/{draft.pk}/materials", indicator="basic", file=SimpleUploadedFile(name, content)
    )
    assert response.status_code == 201, response.content
    material: str = response.json()["id"]
    return material


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


class TestMaterials:
    def test_an_upload_is_kept_in_the_storage_and_nowhere_else(
        self, world: World, draft: Application, place: Place
    ) -> None:
        upload(world, draft)
        files = place.files()
        assert list(files.values()) == [PDF]
        [name] = files
        assert re.fullmatch(rf"materials/\d{{4}}/\d{{2}}/{DIGEST}\.pdf", name)  # the folder: the upload's month
        if place.bucket is not None:
            assert place.local_files() == []  # nothing in MEDIA_ROOT

    def test_served_with_its_name_to_those_who_may_see_it_and_to_no_one_else(
        self, world: World, draft: Application, place: Place
    ) -> None:
        path = f"/api/v1/applications/{draft.pk}/materials/{upload(world, draft)}/file"
        for persona in (world.holder_a, world.agent_a, world.reviewer):
            response = persona.get(path)
            assert response.status_code == 200, (persona.name, response)
            assert body(response) == PDF
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"] == 'inline; filename="contract.pdf"'
            assert response["Content-Length"] == str(len(PDF))
        for persona, status in ((world.holder_b, 404), (world.agent_b, 404), (world.anonymous, 401)):
            response = persona.get(path)
            assert response.status_code == status, persona.name
            assert PDF not in response.content

    def test_a_name_in_chinese_is_given_back(self, world: World, draft: Application, place: Place) -> None:
        path = f"/api/v1/applications/{draft.pk}/materials/{upload(world, draft, '劳动合同.pdf')}/file"
        response = world.holder_a.get(path)
        assert body(response) == PDF
        assert response["Content-Disposition"] == "inline; filename*=utf-8''%E5%8A%B3%E5%8A%A8%E5%90%88%E5%90%8C.pdf"


class TestTheBucket:
    def test_it_is_private_an_unsigned_get_is_refused(self, world: World, draft: Application, bucket: Place) -> None:
        upload(world, draft)
        assert bucket.server is not None and bucket.bucket is not None
        [key] = bucket.files()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{bucket.server.endpoint_url}/{bucket.bucket}/{key}", timeout=10)  # noqa: S310
        assert refused.value.code == 403
        grants = bucket.server.client().get_object_acl(Bucket=bucket.bucket, Key=key)["Grants"]
        assert [g for g in grants if g["Grantee"].get("URI") in (ALL_USERS, AUTHENTICATED_USERS)] == []
        assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner's, no one else's

    def test_any_url_of_a_file_is_signed_and_lives_a_minute(
        self, world: World, draft: Application, bucket: Place
    ) -> None:
        upload(world, draft)
        [key] = bucket.files()
        url = default_storage.url(key)
        assert "X-Amz-Signature=" in url and "X-Amz-Expires=60&" in url
        assert urllib.request.urlopen(url, timeout=10).read() == PDF  # noqa: S310 - the signed URL works

    def test_a_prefix_keeps_the_files_in_a_folder_of_the_bucket(
        self,
        request: pytest.FixtureRequest,
        settings: SettingsWrapper,
        tmp_path: Path,
        world: World,
        draft: Application,
    ) -> None:
        place = _bucket(request, settings, tmp_path / "media", location="jifen/production")
        material = upload(world, draft)
        [key] = place.files()
        assert re.fullmatch(rf"jifen/production/materials/\d{{4}}/\d{{2}}/{DIGEST}\.pdf", key)
        response = world.holder_a.get(f"/api/v1/applications/{draft.pk}/materials/{material}/file")
        assert body(response) == PDF


class TestNoticePdf:
    def test_stored_under_its_code_and_served_after_the_check(
        self, world: World, draft: Application, place: Place
    ) -> None:
        notice = approve(world, draft)
        path = f"/api/v1/notices/{notice.code}/pdf"
        response = world.holder_a.get(path)
        assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
        assert response["Content-Disposition"] == f'attachment; filename="jifen-notice-{notice.code}.pdf"'
        stored = place.files()
        assert list(stored) == [f"notices/{notice.code}.pdf"]
        assert stored[f"notices/{notice.code}.pdf"] == response.content
        assert world.agent_a.get(path).content == response.content  # the stored file, not rendered again
        assert world.holder_b.get(path).status_code == 404
        assert world.agent_b.get(path).status_code == 404
        assert world.anonymous.get(path).status_code == 401

    def test_storing_again_keeps_one_file_under_the_exact_name(
        self, world: World, draft: Application, place: Place
    ) -> None:
        notice = approve(world, draft)
        assert pdf_name(notice) == f"notices/{notice.code}.pdf"
        assert store_pdf(notice) == store_pdf(notice) == f"notices/{notice.code}.pdf"
        assert list(place.files()) == [f"notices/{notice.code}.pdf"]
        assert open_pdf(notice) == place.files()[f"notices/{notice.code}.pdf"]

    def test_the_stored_file_is_the_notice_as_issued(self, world: World, draft: Application, place: Place) -> None:
        notice = approve(world, draft)
        store_pdf(notice)
        # a re-check that ends in rejection takes the score off the application; the notice's record keeps it
        Application.objects.filter(pk=draft.pk).update(score=None, points=None)
        response = world.holder_a.get(f"/api/v1/notices/{notice.code}/pdf")
        assert response.content == place.files()[f"notices/{notice.code}.pdf"]
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert "核定积分明细" in text and "核定积分：\n250 分" in text


class TestReadiness:
    def test_ready_with_the_storage(self, db: None, place: Place) -> None:
        response = Client().get("/readyz")
        assert (response.status_code, response.json()) == (200, {"status": "ready", "checks": READY})
        assert place.files() == {}  # the probe file is deleted again

    def test_a_bucket_that_does_not_exist_is_named(
        self, db: None, s3: S3Server, settings: SettingsWrapper, tmp_path: Path
    ) -> None:
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.STORAGES = {**settings.STORAGES, "default": s3.storage("jifen-no-such-bucket")}
        response = Client().get("/readyz")
        assert (response.status_code, response.json()) == (
            503,
            {"status": "not ready", "checks": {**READY, "storage": "not writable (NoSuchBucket)"}},
        )
        assert b"jifen-no-such-bucket" not in response.content


# -- the settings: read once per process, so each environment is tried in a process of its own

SETTINGS = """
import json
from django.conf import settings
print(json.dumps(settings.STORAGES["default"]))
"""


def _settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    keep = {k: v for k, v in keep.items() if not k.startswith("JIFEN_S3_")}
    env = {**keep, "DJANGO_SETTINGS_MODULE": "jifen.service.settings", "JIFEN_DATA_DIR": str(tmp_path), **env}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETTINGS], env=env, capture_output=True, text=True, check=False
    )


def _storage(tmp_path: Path, **env: str) -> dict[str, Any]:
    done = _settings(tmp_path, **env)
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


class TestSettings:
    def test_by_default_the_local_folder(self, tmp_path: Path) -> None:
        assert _storage(tmp_path) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}

    def test_the_bucket_from_the_environment(self, tmp_path: Path) -> None:
        found = _storage(
            tmp_path,
            JIFEN_S3_BUCKET="jifen-materials",
            JIFEN_S3_ENDPOINT_URL="http://127.0.0.1:9000",
            JIFEN_S3_REGION="cn-east-2",
            JIFEN_S3_ACCESS_KEY_ID="AKIAEXAMPLE",
            JIFEN_S3_SECRET_ACCESS_KEY="secret-example",
            JIFEN_S3_PREFIX="/jifen/production/",
            JIFEN_S3_ADDRESSING_STYLE="path",
        )
        assert found == {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "jifen-materials",
                "endpoint_url": "http://127.0.0.1:9000",
                "region_name": "cn-east-2",
                "access_key": "AKIAEXAMPLE",
                "secret_key": "secret-example",
                "location": "jifen/production",
                "addressing_style": "path",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 60,
                "signature_version": "s3v4",
                "file_overwrite": False,
            },
        }

    def test_the_bucket_alone_leaves_the_credentials_to_boto3(self, tmp_path: Path) -> None:
        assert _storage(tmp_path, JIFEN_S3_BUCKET="jifen-materials")["OPTIONS"] == {
            "bucket_name": "jifen-materials",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "signature_version": "s3v4",
            "file_overwrite": False,
        }

    @pytest.mark.parametrize(
        ("env", "said"),
        [
            (
                {"JIFEN_S3_BUCKET": "b", "JIFEN_S3_ACCESS_KEY_ID": "AKIAEXAMPLE"},
                "ValueError: JIFEN_S3_SECRET_ACCESS_KEY: not set, but the other half of the credentials is",
            ),
            (
                {"JIFEN_S3_BUCKET": "b", "JIFEN_S3_SECRET_ACCESS_KEY": "secret-example"},
                "ValueError: JIFEN_S3_ACCESS_KEY_ID: not set, but the other half of the credentials is",
            ),
            (
                {"JIFEN_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
                "ValueError: JIFEN_S3_BUCKET: not set, but JIFEN_S3_ENDPOINT_URL is",
            ),
            (
                {"JIFEN_S3_BUCKET": "b", "JIFEN_S3_ENDPOINT_URL": "127.0.0.1:9000"},
                "ValueError: JIFEN_S3_ENDPOINT_URL: expected an http(s) URL",
            ),
        ],
    )
    def test_a_bad_combination_names_the_variable(self, tmp_path: Path, env: dict[str, str], said: str) -> None:
        done = _settings(tmp_path, **env)
        assert done.returncode != 0
        assert said in done.stderr
        assert "secret-example" not in done.stderr
