"""The NinjaAPI object: routers, authentication and how errors are answered."""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import Throttled
from ninja.openapi.schema import OpenAPISchema

from jifen.facts.parse import FactsError
from jifen.service.api import applications, contract_schemas, impact, people, public
from jifen.service.api.json_only import document_refusals
from jifen.service.api.parser import StrictJsonParser
from jifen.service.api.security import AUTH
from jifen.service.api.throttles import MINUTE, AccountRate
from jifen.service.errors import TooManyRequests, Unavailable, WorkflowError
from jifen.service.impact.proposal import ProposalError


class JifenAPI(NinjaAPI):
    """The document adds the contract's schemas (jifen.facts/1, jifen.score/1, jifen.advice/1)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        contract_schemas.complete(document)
        document_refusals(document)  # 403 and 415 of jifen.service.api.json_only
        return document


api = JifenAPI(
    title="jifen",
    version="1",
    description="上海市居住证积分: score, advise, and the workflow between holders, employers and reviewers.",
    auth=AUTH,
    throttle=AccountRate(),  # the anonymous endpoints have their own (jifen.service.api.throttles)
    urls_namespace="api_v1",
    parser=StrictJsonParser(),
)
api.add_router("", public.router)
api.add_router("", people.router)
api.add_router("", applications.router)
api.add_router("", impact.router)


@api.exception_handler(WorkflowError)
def workflow_error(request: HttpRequest, exc: WorkflowError) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=exc.status)
    if isinstance(exc, TooManyRequests):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    """Over a rate (jifen.service.api.throttles): 429 in our words; ninja adds Retry-After. A call the shared
    counter could not count (Redis down): 503, the service busy for now."""
    if getattr(request, "uncounted", False):
        return workflow_error(request, Unavailable("the service is busy", "服务繁忙", math.ceil(exc.wait or MINUTE)))
    wait = TooManyRequests("too many requests", "请求过于频繁", math.ceil(exc.wait or MINUTE))
    return workflow_error(request, wait)


@api.exception_handler(FactsError)
def facts_error(request: HttpRequest, exc: FactsError) -> HttpResponse:
    detail = [{"loc": e.path, "msg": e.message} for e in exc.errors]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(ProposalError)
def proposal_error(request: HttpRequest, exc: ProposalError) -> HttpResponse:
    return api.create_response(request, {"detail": [{"loc": exc.field, "msg": exc.reason}]}, status=exc.status)
