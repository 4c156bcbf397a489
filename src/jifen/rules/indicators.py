"""The indicators in the order of the contract (section 2), each id with the rule that scores it."""

from __future__ import annotations

from collections.abc import Callable

from jifen.rules import age, awards, education, investment, qualification, si_base, si_years
from jifen.rules.context import Context
from jifen.rules.deductions import administrative_detention, criminal_record, false_material
from jifen.rules.flag_bonus import entrepreneur, fresh_graduate, innovation_intermediary, shortage_major
from jifen.rules.outcome import Outcome
from jifen.rules.period_bonus import hukou_spouse, public_service, remote_area

Rule = Callable[[Context], Outcome]

INDICATORS: tuple[tuple[str, Rule], ...] = (
    ("age", age.evaluate),
    ("education", education.evaluate),
    ("qualification", qualification.evaluate),
    ("si_years", si_years.evaluate),
    ("si_base", si_base.evaluate),
    ("shortage_major", shortage_major),
    ("investment", investment.evaluate),
    ("public_service", public_service),
    ("remote_area", remote_area),
    ("fresh_graduate", fresh_graduate),
    ("awards", awards.evaluate),
    ("hukou_spouse", hukou_spouse),
    ("entrepreneur", entrepreneur),
    ("innovation_intermediary", innovation_intermediary),
    ("false_material", false_material),
    ("administrative_detention", administrative_detention),
    ("criminal_record", criminal_record),
)

INDICATOR_IDS = tuple(name for name, _ in INDICATORS)

_LABELS: dict[str, tuple[str, str]] = {
    "age": ("年龄", "Age"),
    "education": ("教育背景", "Education"),
    "qualification": ("专业技术职称和技能等级", "Title or skill level"),
    "si_years": ("在本市工作及缴纳社保年限", "Years of Shanghai insurance"),
    "si_base": ("缴纳社保费基数", "Insurance base tier"),
    "shortage_major": ("紧缺急需专业", "Shortage major"),
    "investment": ("投资纳税或带动就业", "Investment and tax or jobs"),
    "public_service": ("特定的公共服务领域", "Designated public service"),
    "remote_area": ("远郊重点区域", "Remote key area"),
    "fresh_graduate": ("全日制应届高校毕业生", "Fresh graduate"),
    "awards": ("表彰奖励", "Awards"),
    "hukou_spouse": ("配偶为本市户籍人员", "Shanghai-hukou spouse"),
    "entrepreneur": ("创业人才", "Entrepreneur talent"),
    "innovation_intermediary": ("创新创业中介服务人才", "Innovation intermediary talent"),
    "false_material": ("提供虚假材料", "False material"),
    "administrative_detention": ("行政拘留记录", "Administrative detention"),
    "criminal_record": ("一般刑事犯罪记录", "Criminal record"),
}

# Shared by every item of every score: read, never changed.
LABELS: dict[str, dict[str, str]] = {k: {"zh": zh, "en": en} for k, (zh, en) in _LABELS.items()}
