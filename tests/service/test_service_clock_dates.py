"""What the service keeps with a date takes it from its clock (jifen.service.clock), never from the wall clock:
a service pinned to another day (JIFEN_NOW: a demonstration, the reliability suite's servers) shows and
files on that day. Before, an application's creation, a correction request, an employer's registration and a
token's issue took the real time, and a material went to the folder of the real month.

The day chosen is far from any day the suite runs on (the wall clock of CI, or 400 days ahead of it)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from pytest_django.fixtures import Settings as SettingsWrapper

from jifen.service.accounts import services
from jifen.service.accounts.models import ApiToken, Employer
from jifen.service.applications import workflow
from jifen.service.applications.models import Application, CorrectionRequest, Material, Status
from tests.service.conftest import USCC_A, World, at, facts_a, moment
from tests.service.test_pages import signed_in
from tests.service.test_storage import upload
from tests.service.test_workflow import REASONS, drive

DAY = "2025-02-10"


def test_an_application_is_created_on_the_services_day(world: World) -> None:
    with at(DAY):
        response = world.agent_a.post(
            "/api/v1/applications", {"holder_id": world.holder_a.account.pk, "kind": "change", "facts": facts_a()}
        )
    assert response.status_code == 201, response.content
    app = Application.objects.get(pk=response.json()["id"])
    assert app.created_at == moment(DAY)
    page = signed_in("hr_a").get("/me").content.decode()
    assert '<time datetime="2025-02-10">2025年2月10日</time>' in page  # the list shows the day it was created on


def test_a_material_is_filed_in_the_folder_of_the_services_month(
    world: World, draft: Application, settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with at(DAY):
        material = upload(world, draft)
    name = Material.objects.get(pk=material).file.name
    assert name is not None and name.startswith("materials/2025/02/"), name


def test_a_correction_is_requested_on_the_services_day(world: World, draft: Application) -> None:
    reviewer = world.reviewer.user
    assert reviewer is not None
    with at(DAY, hour=15):
        app = drive(draft, world, Status.SUBMITTED)
        workflow.request_correction(workflow.accept(app, reviewer), reviewer, REASONS)
    assert CorrectionRequest.objects.get(application=app).requested_at == moment(DAY, hour=15)


def test_an_employer_registers_and_a_token_is_issued_on_the_services_day(db: None) -> None:
    with at(DAY):
        services.receive_registration(USCC_A, "上海示例有限公司", "", "hr_x", "", "An0ther-pass!", "")
        user = User.objects.get(username="hr_x")
        issued = services.new_token(user)
    assert Employer.objects.get(uscc=USCC_A).created_at == moment(DAY)
    token = ApiToken.objects.get(user=user)
    assert token.created_at == moment(DAY)
    assert token.expires_at == issued.expires_at
