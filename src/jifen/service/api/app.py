"""The NinjaAPI object: routers, authentication and how errors are answered."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from jifen.facts.parse import FactsError
from jifen.service.api import applications, impact, people, public
from jifen.service.api.security import AUTH
from jifen.service.errors import WorkflowError
from jifen.service.impact.proposal import ProposalError

api = NinjaAPI(
    title="jifen",
    version="1",
    description="上海市居住证积分: score, advise, and the workflow between holders, employers and reviewers.",
    auth=AUTH,
    urls_namespace="api_v1",
)
api.add_router("", public.router)
api.add_router("", people.router)
api.add_router("", applications.router)
api.add_router("", impact.router)


@api.exception_handler(WorkflowError)
def workflow_error(request: HttpRequest, exc: WorkflowError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(FactsError)
def facts_error(request: HttpRequest, exc: FactsError) -> HttpResponse:
    detail = [{"loc": e.path, "msg": e.message} for e in exc.errors]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(ProposalError)
def proposal_error(request: HttpRequest, exc: ProposalError) -> HttpResponse:
    return api.create_response(request, {"detail": [{"loc": exc.field, "msg": exc.reason}]}, status=exc.status)
