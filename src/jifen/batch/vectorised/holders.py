"""One chunk of holders read from the layout's columns: the arrays every vectorised rule reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from jifen.batch.layout import FLAGS
from jifen.batch.vectorised.columns import Bools, Floats, Group, Ints, days_of, flags_of, floats_of, group_of


@dataclass(frozen=True, slots=True)
class Holders:
    n: int
    birth: Ints
    birth_null: Bools
    as_of: Ints
    as_of_null: Bools
    permit_from: Ints
    permit_from_null: Bools
    permit_until: Ints
    permit_until_null: Bools
    married: Ints
    married_null: Bools
    tax: Floats
    tax_null: Bools
    employees: Floats
    employees_null: Bools
    approved_total: Floats
    approved_total_null: Bools
    approved_on: Ints
    approved_on_null: Bools
    flags: dict[str, Bools]
    id_number: pa.Array
    education: Group
    qualifications: Group
    social_insurance: Group
    remote_area: Group
    public_service: Group
    awards: Group
    penalties: Group
    vetoes: Group

    @classmethod
    def from_table(cls, table: pa.Table) -> Holders:
        birth, birth_null = days_of(table.column("birth_date"))
        as_of, as_of_null = days_of(table.column("as_of"))
        permit_from, permit_from_null = days_of(table.column("permit_valid_from"))
        permit_until, permit_until_null = days_of(table.column("permit_valid_until"))
        married, married_null = days_of(table.column("hukou_spouse_married_on"))
        tax, tax_null = floats_of(table.column("investment_tax_yuan"))
        employees, employees_null = floats_of(table.column("investment_hukou_employees"))
        approved_total, approved_total_null = floats_of(table.column("last_approved_total").cast(pa.float64()))
        approved_on, approved_on_null = days_of(table.column("last_approved_on"))
        return cls(
            n=table.num_rows,
            birth=birth,
            birth_null=birth_null,
            as_of=as_of,
            as_of_null=as_of_null,
            permit_from=permit_from,
            permit_from_null=permit_from_null,
            permit_until=permit_until,
            permit_until_null=permit_until_null,
            married=married,
            married_null=married_null,
            tax=tax,
            tax_null=tax_null,
            employees=employees,
            employees_null=employees_null,
            approved_total=approved_total,
            approved_total_null=approved_total_null,
            approved_on=approved_on,
            approved_on_null=approved_on_null,
            flags={flag: flags_of(table.column(flag), default=False) for flag in FLAGS},
            id_number=table.column("id_number").combine_chunks(),
            education=group_of(table, "education"),
            qualifications=group_of(table, "qualifications"),
            social_insurance=group_of(table, "social_insurance"),
            remote_area=group_of(table, "remote_area"),
            public_service=group_of(table, "public_service"),
            awards=group_of(table, "awards"),
            penalties=group_of(table, "penalties"),
            vetoes=group_of(table, "vetoes"),
        )

    def slice(self, start: int, stop: int) -> Holders:
        """Holders ``start`` to ``stop``: views of the same arrays, no copy of the items."""
        if (start, stop) == (0, self.n):
            return self
        cut: dict[str, Any] = {}
        for name in self.__slots__:
            value = getattr(self, name)
            if isinstance(value, Group):
                cut[name] = value.slice(start, stop)
            elif isinstance(value, np.ndarray):
                cut[name] = value[start:stop]
        cut["flags"] = {flag: values[start:stop] for flag, values in self.flags.items()}
        cut["id_number"] = self.id_number.slice(start, stop - start)
        return Holders(n=stop - start, **cut)

    def groups(self) -> tuple[Group, ...]:
        return tuple(group for _, group in self.named_groups())

    def named_groups(self) -> tuple[tuple[str, Group], ...]:
        """Each list of the facts with its name in the contract."""
        return (
            ("education", self.education),
            ("qualifications", self.qualifications),
            ("social_insurance", self.social_insurance),
            ("remote_area", self.remote_area),
            ("public_service", self.public_service),
            ("awards", self.awards),
            ("penalties", self.penalties),
            ("vetoes", self.vetoes),
        )
