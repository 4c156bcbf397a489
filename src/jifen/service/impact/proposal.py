"""A proposed policy change as overlay files, from dated values (the page's form, the API) or uploads.

Each overlay file is ``parameters/<group>/<name>.yaml`` in the shape of the bundled parameter files. A
proposed value becomes such a file: the bundled file's description, unit, type and fields, and the new
dated value citing the ``proposal`` document of sources.yaml. An uploaded file is named after its parameter,
``<group>.<name>.yaml``, and taken as written. :func:`load_proposed` loads the bundled policy with the files
overlaid (:func:`jifen.policy.loader.load_policy_from`); every error names the field it concerns.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from jifen.policy.loader import load_policy_from, policy_dir
from jifen.policy.model import Policy, PolicyError
from jifen.service.errors import Invalid
from jifen.service.inputs import short
from jifen.yamlio import PlainLoader, load_yaml

PROPOSAL_DOCUMENT = "proposal"  # sources.yaml: 拟议调整（尚未生效）
PROPOSAL_CONFIDENCE = "D"  # the lowest tag: nobody has published it
UPLOAD_NAME = re.compile(r"(?P<parameter>[a-z0-9_]+(\.[a-z0-9_]+)+)\.yaml")
MAX_UPLOAD_BYTES = 64 * 1024
_TEXT_TYPES = ("decimal", "str")  # values the form passes on as typed (YAML would turn 1.10 into a float)


class ProposalError(Invalid):
    """A proposal that cannot be applied; ``field`` is the form field or API path to blame."""

    def __init__(self, field: str, reason: str, zh: str) -> None:
        super().__init__(f"{field}: {reason}", zh)
        self.field = field
        self.reason = reason

    def reason_in(self, lang: str) -> str:
        """The message without the field (a page shows it next to the field)."""
        return self.zh if lang == "zh" else self.reason


@dataclass(frozen=True)
class ProposedValue:
    """A new value of a parameter from a date; ``where`` prefixes the fields in errors ("overlay[0].")."""

    parameter: str
    effective_from: date
    value: object
    note: str | None = None
    where: str = ""


@dataclass(frozen=True)
class OverlayFile:
    parameter: str
    text: str  # the YAML of parameters/<group>/<name>.yaml
    label: str  # how errors name the file ("" for a file made from proposed values)
    blame: tuple[tuple[str, str], ...]  # (key path in the file, field): the first that prefixes an error wins


def value_from_text(policy: Policy, parameter: str, text: str, field: str = "value") -> object:
    """A value typed in a form: YAML (12500, [a, b], {k: 1}), except decimals and text, kept as typed."""
    kind = policy.parameters[parameter].type.rstrip("?") if parameter in policy.parameters else ""
    if kind in _TEXT_TYPES:
        return text.strip()
    try:
        return yaml.load(text, Loader=PlainLoader)  # noqa: S506 - PlainLoader is a SafeLoader
    except yaml.YAMLError as exc:
        raise ProposalError(field, f"not a value: {exc}", f"无法读取取值：{exc}") from None


def from_values(values: Sequence[ProposedValue], policy: Policy) -> list[OverlayFile]:
    """One overlay file per parameter, holding every value proposed for it."""
    groups: dict[str, list[ProposedValue]] = {}
    for proposed in values:
        _check_known(proposed.parameter, policy, f"{proposed.where}parameter")
        group = groups.setdefault(proposed.parameter, [])
        if any(p.effective_from == proposed.effective_from for p in group):
            day = proposed.effective_from.isoformat()
            raise ProposalError(
                f"{proposed.where}effective_from",
                f"{proposed.parameter} is proposed twice from {day}",
                f"参数 {proposed.parameter} 自 {day} 的取值重复提出",
            )
        group.append(proposed)
    return [_file_for(parameter, group, policy) for parameter, group in groups.items()]


def _file_for(parameter: str, group: list[ProposedValue], policy: Policy) -> OverlayFile:
    bundled = load_yaml(_bundled_path(parameter))
    header = {k: bundled[k] for k in ("description", "unit", "type", "fields") if k in bundled}
    kind = policy.parameters[parameter].type.rstrip("?")
    values = {p.effective_from.isoformat(): _dated(p, kind) for p in sorted(group, key=lambda p: p.effective_from)}
    text = yaml.safe_dump({**header, "values": values}, allow_unicode=True, sort_keys=False)
    blame = tuple((f"values.{p.effective_from.isoformat()}", f"{p.where}value") for p in group)
    return OverlayFile(parameter, text, "", (*blame, ("", f"{group[0].where}parameter")))


def _dated(proposed: ProposedValue, kind: str) -> dict[str, object]:
    value = proposed.value
    if kind in _TEXT_TYPES and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # JSON numbers for a decimal: the loader reads decimals from text
    entry: dict[str, object] = {
        "value": value,
        "source": {"document": PROPOSAL_DOCUMENT},
        "confidence": PROPOSAL_CONFIDENCE,
    }
    if proposed.note and proposed.note.strip():
        entry["note"] = proposed.note.strip()
    return entry


def from_upload(name: str, content: bytes, policy: Policy, field: str = "uploads") -> OverlayFile:
    """An uploaded parameter file, named ``<group>.<name>.yaml`` after the parameter it changes."""
    match = UPLOAD_NAME.fullmatch(name)
    if match is None:
        raise ProposalError(
            field,
            f"{name}: name each file after its parameter, <group>.<name>.yaml (si_base.reference_wage.yaml)",
            f"{name}：文件名应为“参数组.参数名.yaml”，例如 si_base.reference_wage.yaml",
        )
    parameter = match.group("parameter")
    _check_known(parameter, policy, field, file=name)
    if len(content) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // 1024
        raise ProposalError(field, f"{name}: larger than {limit} KB", f"{name}：文件超过 {limit} KB")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise ProposalError(field, f"{name}: not UTF-8 text", f"{name}：不是 UTF-8 文本") from None
    return OverlayFile(parameter, text, f"{name}: ", (("", field),))


def saved(files: Sequence[OverlayFile]) -> str:
    """The files as JSON (parameter -> YAML), for a page to send back (the CSV download)."""
    return json.dumps({f.parameter: f.text for f in files}, ensure_ascii=False)


def from_saved(text: str, policy: Policy, field: str = "proposal") -> list[OverlayFile]:
    """The files of :func:`saved`, checked again like uploads."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict) or not data or not all(isinstance(v, str) for v in data.values()):
        raise ProposalError(field, "expected the proposal as sent by the page", "调整方案无效，请重新提交")
    return [
        from_upload(f"{parameter}.yaml", yaml_text.encode(), policy, field) for parameter, yaml_text in data.items()
    ]


def load_proposed(files: Sequence[OverlayFile], empty_field: str = "parameter") -> Policy:
    """The bundled policy with ``files`` overlaid; refuses a parameter proposed in two files."""
    if not files:
        raise ProposalError(empty_field, "propose at least one value", "请至少提出一项调整")
    seen: set[str] = set()
    for f in files:
        if f.parameter in seen:
            raise ProposalError(f.blame[-1][1], f"{f.parameter} is proposed twice", f"参数 {f.parameter} 被重复提出")
        seen.add(f.parameter)
    with tempfile.TemporaryDirectory(prefix="jifen-impact-") as tmp:
        folder = Path(tmp) / "proposal"
        for f in files:
            path = _overlay_path(folder, f.parameter)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f.text, encoding="utf-8")
        try:
            return load_policy_from(policy_dir(), overlay=folder)
        except PolicyError as exc:
            raise _blamed(str(exc), files, folder) from None


def _blamed(message: str, files: Sequence[OverlayFile], folder: Path) -> ProposalError:
    """The loader names a file and a key path; name the field and the upload instead."""
    for f in files:
        path = _overlay_path(folder, f.parameter)
        for prefix in (f"{path}: ", f"{path.relative_to(folder.parent)}: "):
            if message.startswith(prefix):
                rest = message[len(prefix) :]
                field = next(field for key, field in f.blame if rest.startswith(key))
                return ProposalError(field, f"{f.label}{rest}", f"不符合参数文件格式：{f.label}{rest}")
    return ProposalError(files[0].blame[-1][1], message, f"不符合参数文件格式：{message}")


def _check_known(parameter: str, policy: Policy, field: str, file: str = "") -> None:
    if parameter not in policy.parameters:
        en, zh = (f"{file}: ", f"{file}：") if file else ("", "")
        raise ProposalError(
            field, f"{en}no parameter named {short(parameter)!r}", f"{zh}没有名为 {short(parameter)} 的参数"
        )


def _overlay_path(folder: Path, parameter: str) -> Path:
    return folder.joinpath("parameters", *parameter.split(".")).with_suffix(".yaml")


def _bundled_path(parameter: str) -> Path:
    return policy_dir().joinpath("parameters", *parameter.split(".")).with_suffix(".yaml")
