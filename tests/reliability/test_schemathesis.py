"""Schemathesis over every operation of ``/api/v1/openapi.json``, anonymous and as each persona of the demo.

The application runs in-process (Django's WSGI handler, through Schemathesis's WSGI transport) on the
demonstration data (``jifen.service.demo.seed``, once per module, rolled back at the end; each test runs in
its own savepoint), on a fixed day. Every case is checked for: no server error (5xx), a status the document
lists for the operation, and a body matching the documented schema of that status.

- ``test_operation``: every operation, as each persona (anonymous and every demo login, each with its own
  bearer token): Schemathesis's coverage phase (the boundary and invalid values the schema defines) and
  ``JIFEN_SCHEMATHESIS_EXAMPLES`` generated cases (default 10) per operation and persona.
- ``test_engine``: ``/score`` and ``/advise`` again (anonymous: they take no credentials), with
  ``JIFEN_SCHEMATHESIS_ENGINE_EXAMPLES`` more cases each (default 150), all valid by the schema (invalid
  ones were sent above); most generated ID numbers are replaced by one valid for the generated birth date,
  so that the facts get past the check digit and reach the rules.

Path parameters are mostly swapped for objects that exist (the demo's applications in every state, their
materials, the holders, the employers, the notice), chosen from the generated value, so that operations are
fuzzed past "404 not found"; the rest keep the generated value. Login lock-out and rate limits are lifted
and the cache emptied before each case: fuzzing the token endpoints must not lock the personas out.

The run is reproducible: a fixed seed (``JIFEN_SCHEMATHESIS_SEED`` to try another), no example database.
``JIFEN_SCHEMATHESIS_REPORT=path.json`` writes the number of cases and failures per persona and operation,
and the statuses seen.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import schemathesis
import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, settings
from pytest_django import DjangoDbBlocker
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from jifen.facts.idcard import check_digit
from jifen.service import demo
from jifen.service.accounts.models import Account, Employer, Role
from jifen.service.accounts.services import issue_token
from jifen.service.applications.models import Application
from jifen.service.notices.models import Notice

NOW = datetime(2026, 11, 27, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
EXAMPLES = int(os.environ.get("JIFEN_SCHEMATHESIS_EXAMPLES", "10"))
ENGINE_EXAMPLES = int(os.environ.get("JIFEN_SCHEMATHESIS_ENGINE_EXAMPLES", "150"))
SEED = int(os.environ.get("JIFEN_SCHEMATHESIS_SEED", "20261127"))
REPORT = os.environ.get("JIFEN_SCHEMATHESIS_REPORT", "")
PERSONAS = ("anonymous", *(login.username for login in demo.LOGINS))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
HYPOTHESIS = settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))

pytestmark = pytest.mark.reliability


def load(*, modes: list[GenerationMode] | None = None) -> OpenApiSchema:
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=SchemathesisConfig(seed=SEED))
    loaded.config.generation.update(deterministic=True, database="none", modes=modes)
    return loaded


schema = load()
engine = load(modes=[GenerationMode.POSITIVE]).include(path_regex=r"/api/v1/(score|advise)$")


@dataclass
class Tally:
    cases: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    failures: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)


TALLY = Tally()


@dataclass
class Demo:
    """The seeded demonstration data, as the tests swap it into path parameters."""

    tokens: dict[str, str]
    applications: list[tuple[str, list[str]]]  # each application's id and its materials' ids
    holders: list[int]
    employers: list[int]
    notices: list[str]


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    if not REPORT:
        return
    tests = sorted({t for t, _, _ in TALLY.cases})
    out = {
        "examples": {"test_operation": EXAMPLES, "test_engine": ENGINE_EXAMPLES},
        "operations": len({op for _, _, op in TALLY.cases}),
        "cases": sum(TALLY.cases.values()),
        "failures": sum(TALLY.failures.values()),
        "tests": {
            test: {
                persona: {
                    "operations": len({op for t, p, op in TALLY.cases if (t, p) == (test, persona)}),
                    "cases": sum(n for (t, p, _), n in TALLY.cases.items() if (t, p) == (test, persona)),
                    "failed_operations": sorted(op for (t, p, op) in TALLY.failures if (t, p) == (test, persona)),
                }
                for persona in PERSONAS
                if any((t, p) == (test, persona) for t, p, _ in TALLY.cases)
            }
            for test in tests
        },
        "statuses": {f"{op} {status}": n for (op, status), n in sorted(TALLY.statuses.items())},
    }
    Path(REPORT).write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Demo]:
    """The demo, seeded once for the module inside a transaction that is rolled back at its end."""
    limits = override_settings(
        JIFEN_NOW=NOW,
        JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE=10**9,
        JIFEN_USER_REQUESTS_PER_MINUTE=10**9,
        JIFEN_LOGIN_FAILURES_ALLOWED=10**9,
        JIFEN_LOGIN_FAILURES_PER_ADDRESS=10**9,
    )
    # Django's test client does the same: the connection is the test's transaction, not the request's.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), limits, time_machine.travel(NOW, tick=False):
            outer = transaction.atomic()
            outer.__enter__()
            try:
                demo.seed()
                users = User.objects.filter(username__in=PERSONAS).order_by("username")
                yield Demo(
                    tokens={u.username: issue_token(u) for u in users},
                    applications=[
                        (str(a.pk), [str(m) for m in a.materials.order_by("pk").values_list("pk", flat=True)])
                        for a in Application.objects.order_by("created_at", "id")
                    ],
                    holders=list(Account.objects.filter(role=Role.HOLDER).order_by("pk").values_list("pk", flat=True)),
                    employers=list(Employer.objects.order_by("pk").values_list("pk", flat=True)),
                    notices=list(Notice.objects.order_by("code").values_list("code", flat=True)),
                )
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _pick(generated: object, real: list[Any]) -> Any:
    """A real object for most generated values (chosen by the value, so the run stays reproducible)."""
    index = zlib.crc32(repr(generated).encode()) % (len(real) + 1)
    return generated if index == len(real) else real[index]


def _use_real_objects(case: Any, world: Demo) -> None:
    params = case.path_parameters
    if not params:
        return
    if "application_id" in params:
        chosen = _pick(params["application_id"], world.applications)
        if isinstance(chosen, tuple):
            params["application_id"], materials = chosen
            if "material_id" in params:
                params["material_id"] = _pick(params["material_id"], materials)
    for name, real in (("holder_id", world.holders), ("employer_id", world.employers), ("code", world.notices)):
        if name in params:
            params[name] = _pick(params[name], real)


_BIRTH = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _valid_id_number(case: Any) -> None:
    """Three generated ID numbers in four become one valid for the generated birth date (a 1 in 10^4 chance
    otherwise), so that the facts get past the check digit and reach the rules."""
    body = case.body
    if not isinstance(body, dict) or not isinstance(body.get("id_number"), str):
        return
    birth = _BIRTH.fullmatch(str(body.get("birth_date")))
    seed = zlib.crc32(body["id_number"].encode())
    if birth is None or seed % 4 == 0:
        return
    first17 = f"310115{''.join(birth.groups())}{seed % 1000:03d}"
    body["id_number"] = first17 + check_digit(first17)


def _run(test: str, case: Any, persona: str, world: Demo) -> None:
    cache.clear()  # login lock-out and rate limits: every case starts from none
    headers = {"Authorization": f"Bearer {world.tokens[persona]}"} if persona in world.tokens else {}
    key = (test, persona, case.operation.label)
    TALLY.cases[key] += 1
    with time_machine.travel(NOW, tick=False):
        response = case.call(headers=headers)
        TALLY.statuses[(f"{case.method} {case.operation.path}", response.status_code)] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except BaseException:  # Schemathesis's FailureGroup is a BaseExceptionGroup
            TALLY.failures[key] += 1
            raise


@pytest.mark.parametrize("persona", PERSONAS)
@schema.parametrize()
@settings(HYPOTHESIS, max_examples=EXAMPLES)
def test_operation(case: Any, persona: str, world: Demo, db: None) -> None:
    _use_real_objects(case, world)
    _run("test_operation", case, persona, world)


@engine.parametrize()
@settings(HYPOTHESIS, max_examples=ENGINE_EXAMPLES, phases=[Phase.generate])
def test_engine(case: Any, world: Demo, db: None) -> None:
    _valid_id_number(case)
    _run("test_engine", case, "anonymous", world)
