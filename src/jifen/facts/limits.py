"""What jifen accepts as facts at all: bounds of this implementation, not of the law.

A date outside [EARLIEST_DATE, LATEST_DATE] cannot describe a permit holder's life or a period of the
scheme, and a list longer than its cap cannot describe one life; refusing them early (with the field
path) keeps every request's work bounded, whoever sends it. The caps are far above any real life:
one insurance run a month for a hundred years is 1,200 runs. The contract (§1) lists them.
"""

from __future__ import annotations

from datetime import date

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

MAX_ITEMS: dict[str, int] = {
    "education": 20,
    "qualifications": 50,
    "social_insurance": 1200,
    "remote_area": 100,
    "public_service": 100,
    "awards": 100,
    "penalties": 100,
    "vetoes": 20,
}
