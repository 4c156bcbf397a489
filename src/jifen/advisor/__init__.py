"""The advisor: everything "when" - triggers, projection, the refresh window, planning, materials."""

from jifen.advisor.advise import advise
from jifen.advisor.result import Advice, Recommendation, Trigger

__all__ = ["Advice", "Recommendation", "Trigger", "advise"]
