"""The holders the service knows, each with the facts of its latest filed application, scored under the
current policy and under a proposal.

Which facts: for each holder, the most recently created application that was not withdrawn or rejected
(drafts count: the facts were validated when filed), with the penalties recorded on the holder by earlier
decisions added, as the reviewer's approval would score them (:func:`verified_facts`).

A holder whose stored facts the rules fail on (not a refusal: data the parser let through) is logged with
its id, counted as failed and listed; the others are compared.

The policy maintainer sees no one (issue 13.3): a holder is shown by a pseudonym, stable while the
deployment's SECRET_KEY stays (``identity.holder_pseudonym``), never by name or id.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.db.models import OuterRef, QuerySet, Subquery

from jifen.batch.impact import Affected, ImpactReport, compare_all
from jifen.policy.loader import default_policy
from jifen.policy.model import Policy
from jifen.service.accounts.identity import holder_pseudonym
from jifen.service.applications.models import Application, Status
from jifen.service.applications.workflow import verified_facts
from jifen.service.impact.proposal import ProposalError
from jifen.service.per_holder import NotComputed, computed, log_failure

NOT_STANDING = (Status.WITHDRAWN, Status.REJECTED)  # facts the holder's employer or the reviewer set aside
CSV_HEADER = ("holder", "before", "after", "change")


@dataclass(frozen=True)
class HolderChange:
    holder_id: int  # never shown: ``pseudonym`` is
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before

    @property
    def pseudonym(self) -> str:
        return holder_pseudonym(self.holder_id)


@dataclass(frozen=True)
class FailedHolder:
    """A holder whose score could not be computed (the error is in the log, with the id)."""

    holder_id: int  # never shown: ``pseudonym`` is

    @property
    def pseudonym(self) -> str:
        return holder_pseudonym(self.holder_id)


@dataclass(frozen=True)
class PopulationImpact:
    on: date
    report: ImpactReport
    affected: list[HolderChange]  # the largest loss first, then by pseudonym
    failed: list[FailedHolder] = field(default_factory=list)  # by pseudonym


def latest_applications() -> QuerySet[Application]:
    """Each holder's most recently filed application that still stands."""
    standing = Application.objects.exclude(status__in=NOT_STANDING)
    latest = standing.filter(holder=OuterRef("holder")).order_by("-created_at", "-pk").values("pk")[:1]
    found = standing.filter(pk=Subquery(latest)).select_related("holder")
    return found.prefetch_related("holder__penalties").order_by("holder_id")


def population_impact(proposed: Policy, on: date, progress: Callable[[int], object] | None = None) -> PopulationImpact:
    """Every holder scored on ``on`` under the bundled policy and under ``proposed``; ``progress(n)`` is called
    as the n-th holder is taken up (n from 1; the total is ``latest_applications().count()``)."""
    failed: list[int] = []  # holder ids
    unread = 0  # holders whose facts could not even be put together

    def holders() -> Iterator[tuple[str, object]]:
        nonlocal unread
        for seen, app in enumerate(latest_applications().iterator(chunk_size=2000), start=1):
            if progress is not None:
                progress(seen)
            facts = computed(app.holder_id, "the facts for the impact", partial(verified_facts, app))
            if isinstance(facts, NotComputed):
                failed.append(app.holder_id)
                unread += 1
                continue
            yield str(app.holder_id), facts

    def failure(holder_id: str, exc: Exception) -> None:
        log_failure(int(holder_id), "the score for the impact", exc)
        failed.append(int(holder_id))

    try:
        report, affected = compare_all(holders(), on, default_policy(), proposed, on_failure=failure)
    except (LookupError, TypeError, ValueError, ArithmeticError) as exc:  # values the loader let through
        raise ProposalError(
            "overlay", f"the rules cannot use the proposed values: {exc!r}", f"规则无法使用拟议的取值：{exc!r}"
        ) from None
    report.holders += unread
    report.failed += unread
    rows = sorted((_row(a) for a in affected), key=lambda r: (r.change, r.pseudonym))
    lost = sorted((FailedHolder(i) for i in failed), key=lambda f: f.pseudonym)
    return PopulationImpact(on, report, rows, lost)


def _row(affected: Affected) -> HolderChange:
    return HolderChange(int(affected.holder_id), affected.before, affected.after)


def affected_csv(result: PopulationImpact) -> str:
    """The affected holders as CSV (by pseudonym), with a byte-order mark so that spreadsheets read UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in result.affected:
        writer.writerow((row.pseudonym, row.before, row.after, row.change))
    return buffer.getvalue()
