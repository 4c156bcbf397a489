"""jifen: the Shanghai Residence Permit Points scheme (上海市居住证积分) as rules-as-code.

``from jifen import score`` scores a holder from dated facts without any database.
"""

from jifen.facts.model import Facts
from jifen.facts.parse import FactsError, FieldError, parse_facts
from jifen.policy.loader import load_policy
from jifen.policy.model import Policy, PolicyError
from jifen.rules.engine import score
from jifen.rules.result import Item, Score

__all__ = [
    "Facts",
    "FactsError",
    "FieldError",
    "Item",
    "Policy",
    "PolicyError",
    "Score",
    "load_policy",
    "parse_facts",
    "score",
]
__version__ = "0.1.0"
