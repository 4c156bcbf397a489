"""Applications for points, their materials, correction requests and recorded penalties."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jifen.service import clock
from jifen.service.accounts.models import Account, Employer


class Kind(models.TextChoices):
    FIRST = "first", _("首次申请")
    CHANGE = "change", _("变更（刷新）")
    RENEWAL = "renewal", _("积分确认（续办）")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    RESUBMITTED = "resubmitted", _("已补正")
    APPROVED = "approved", _("已核定")
    REJECTED = "rejected", _("不予核定")
    WITHDRAWN = "withdrawn", _("已撤回")
    APPEALED = "appealed", _("复核中")


# How an appeal's reason is kept among an application's reasons (the API's ``reasons`` list shows it so).
APPEAL_TAG = "appeal: "

# Under review or re-check: a holder has at most one application in these (a draft may wait beside it).
OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.CORRECTION_REQUESTED,
    Status.RESUBMITTED,
    Status.APPEALED,
)


class Application(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    holder = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="applications")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    facts = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    # SHA-256 of the request filed under the key: a retry must send the same request again.
    request_digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)  # the service's clock: shown as a day
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The statutory clock: accepted on a day, decided by the deadline (a working day). A correction (补正)
    # restarts it on the next acceptance; under the reading return_clock=pause the working days that were
    # left are kept meanwhile (remaining_working_days) and continue.
    accepted_on = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    deadline_provisional = models.BooleanField(default=False)
    remaining_working_days = models.IntegerField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The holder's n-th decision (a re-check's decision is a new one): which is latest, even when two
    # decisions carry the same time (a pinned clock). Decisions of one holder cannot race: only its one
    # open application can be decided.
    decision_number = models.PositiveIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.JSONField(default=list, blank=True)
    points = models.IntegerField(null=True, blank=True)
    score = models.JSONField(null=True, blank=True)
    policy_version = models.CharField(max_length=50, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    # A change or renewal starts from the approval in force when it was filed: the one it would replace.
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def reason_lines(self) -> list[tuple[bool, str]]:
        """The reasons as a page shows them: (whether it is the holder's appeal reason, the text without tag)."""
        return [(str(r).startswith(APPEAL_TAG), str(r).removeprefix(APPEAL_TAG)) for r in self.reasons]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["created_by", "idempotency_key"], name="unique_idempotency_key"),
            # One open application per holder (drafts may wait): two filings racing cannot both get in.
            models.UniqueConstraint(
                fields=["holder"], condition=models.Q(status__in=OPEN_STATUSES), name="one_open_application_per_holder"
            ),
        ]


def material_name(material: Material, filename: str) -> str:
    """Where an upload is kept: the folder of the service's month (its clock, as every date it keeps, so a
    service pinned to another day files there), then the upload's own name."""
    return f"materials/{clock.today():%Y/%m}/{filename}"


class Material(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    indicator = models.CharField(max_length=40)
    file = models.FileField(upload_to=material_name)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.IntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now, editable=False)  # the service's clock: shown as a day
    # the earlier file of the same application this one takes the place of (a clearer scan, a correction)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )


class CorrectionRequest(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="corrections")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=clock.now, editable=False)  # the service's clock
    reasons = models.JSONField()  # [{"material": id or null, "indicator": ..., "reason": ...}]
    answered_at = models.DateTimeField(null=True, blank=True)


class Penalty(models.Model):
    """A deduction recorded on a holder by a decision (a finding of false material)."""

    holder = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="penalties")
    kind = models.CharField(max_length=40)
    on = models.DateField()
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")


class AdviceSummary(models.Model):
    """What lists show of a holder's refresh advice (the employer's employees), stored so that a page of many
    holders reads rows instead of advising each one: refreshed by ``jifen tick`` every day, and computed
    again on a page whenever the day, the latest approval or the permit differs from what it was made on."""

    holder = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="advice_summary")
    computed_on = models.DateField()
    approved = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    permit_valid_until = models.DateField(null=True, blank=True)
    approved_points = models.IntegerField(null=True, blank=True)
    now_total = models.IntegerField(null=True, blank=True)
    refresh = models.BooleanField(default=False)
