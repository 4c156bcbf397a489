"""The impact of a proposed change over the whole population, as a background task (issue 16.2).

The maintainer's page creates an :class:`ImpactRun` and enqueues :func:`run_impact`; the run's page shows the
progress while it runs and, once done, the stored result. Only one task ever runs a given run: it takes the run
from queued to running with a compare-and-set, and writes its progress the same way, every
JIFEN_IMPACT_PROGRESS_EVERY holders (not one row a holder).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from django.conf import settings
from django_tasks import task

from jifen.batch.impact import ImpactReport
from jifen.policy.loader import default_policy
from jifen.service import clock
from jifen.service.impact.models import ImpactRun, RunStatus
from jifen.service.impact.population import (
    FailedHolder,
    HolderChange,
    PopulationImpact,
    latest_applications,
    population_impact,
)
from jifen.service.impact.proposal import ProposalError, from_saved, load_proposed

logger = logging.getLogger("jifen.service.tasks")

COUNTS = ("holders", "refused", "failed", "gainers", "losers", "crossing_up", "crossing_down")
UNEXPECTED = {
    "zh": "评估未能完成，错误已记录在日志中。",
    "en": "The evaluation could not be completed; the error is in the log.",
}


@task()
def run_impact(run_id: int) -> str:
    """Score the population under the run's proposal and store the result in the run; the run's final status."""
    taken = ImpactRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=clock.now(), total=latest_applications().count(), done=0
    )
    if not taken:  # gone, or already taken up: it runs once
        return "not queued"
    run = ImpactRun.objects.get(pk=run_id)
    every = settings.JIFEN_IMPACT_PROGRESS_EVERY

    def progress(seen: int) -> None:
        if seen % every == 0:
            ImpactRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, done__lt=seen).update(done=seen)

    try:
        result = population_impact(load_proposed(from_saved(run.proposal, default_policy())), run.on, progress)
    except ProposalError as exc:
        _failed(run_id, {"zh": exc.reason_in("zh"), "en": exc.reason_in("en")})
        return RunStatus.FAILED.value
    except Exception:
        logger.exception("impact run %s failed", run_id)
        _failed(run_id, UNEXPECTED)
        raise
    holders = result.report.holders
    ImpactRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=RunStatus.DONE, done=holders, total=holders, result=result_json(result), finished_at=clock.now()
    )
    return RunStatus.DONE.value


def _failed(run_id: int, error: dict[str, str]) -> None:
    ImpactRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=error, finished_at=clock.now())


def result_json(result: PopulationImpact) -> dict[str, Any]:
    """The result as JSON: the counts, the distribution and the holders affected or failed (by id: the pages
    show their pseudonyms)."""
    report = result.report
    return {
        "on": result.on.isoformat(),
        "standard": report.standard,
        **{k: getattr(report, k) for k in COUNTS},
        "changes": [[change, holders] for change, holders in report.distribution()],
        "affected": [[r.holder_id, r.before, r.after] for r in result.affected],
        "failed_holders": [f.holder_id for f in result.failed],
    }


def result_from_json(data: dict[str, Any]) -> PopulationImpact:
    """:func:`result_json` read back, in the order it was stored."""
    from datetime import date

    report = ImpactReport(standard=data["standard"])
    for name in COUNTS:
        setattr(report, name, int(data[name]))
    report.changes = Counter({int(change): int(holders) for change, holders in data["changes"]})
    affected = [HolderChange(int(h), int(before), int(after)) for h, before, after in data["affected"]]
    failed = [FailedHolder(int(h)) for h in data["failed_holders"]]
    return PopulationImpact(date.fromisoformat(data["on"]), report, affected, failed)
