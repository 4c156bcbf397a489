"""The maintainer's proposal on the impact page: one dated value by hand, or parameter files, or both."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jifen.policy.model import Policy
from jifen.service.impact.proposal import (
    MAX_UPLOAD_BYTES,
    OverlayFile,
    ProposedValue,
    from_upload,
    from_values,
    value_from_text,
)

DATE = {"type": "date"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data] if data else []
        return [single(item, initial) for item in items]


class ImpactForm(forms.Form):
    on = forms.DateField(label=_("计算日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    parameter = forms.ChoiceField(
        label=_("参数"), required=False, error_messages={"invalid_choice": _("没有名为 %(value)s 的参数")}
    )
    effective_from = forms.DateField(
        label=_("生效日期"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    value = forms.CharField(label=_("取值"), required=False, max_length=2000)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)
    uploads = MultipleFileField(label=_("参数文件"), required=False)

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        # each parameter by its name in words (its id is the value sent, and names its file)
        language = "en" if (translation.get_language() or "").startswith("en") else "zh"
        named = ((name, policy.parameters[name].words()[language]) for name in sorted(policy.parameters))
        choices = [("", "—"), *named]
        self.fields["parameter"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("parameter"):
            if not data.get("effective_from") and "effective_from" not in self.errors:
                self.add_error("effective_from", _("请填写生效日期"))
            if not (data.get("value") or "").strip():
                self.add_error("value", _("请填写取值"))
        elif not data.get("uploads") and "parameter" not in self.errors:
            self.add_error("parameter", _("请选择参数，或上传参数文件"))
        return data

    def overlay_files(self) -> list[OverlayFile]:
        """The proposal as overlay files; raises ProposalError naming the field (after is_valid())."""
        data = self.cleaned_data
        files = [from_upload(f.name or "", f.read(MAX_UPLOAD_BYTES + 1), self.policy) for f in data["uploads"]]
        if not data["parameter"]:
            return files
        value = value_from_text(self.policy, data["parameter"], data["value"])
        proposed = ProposedValue(data["parameter"], data["effective_from"], value, data["note"] or None)
        return [*from_values([proposed], self.policy), *files]
