"""The indicators of the points scheme: one module per indicator, pure functions of facts, date and policy."""
