"""Which links cited by the policy data are reprints, and by whom: for pages that show a link by its address
alone (a score's basis), so that each can say "转载 · <publisher>" beside it (see ``Source.publisher``)."""

from __future__ import annotations

from jifen.policy.model import Policy, Source

_FOUND: dict[int, tuple[object, dict[str, str]]] = {}
_MOST = 16  # policies held at once (proposals in the impact page make new ones)


def reprints(policy: Policy) -> dict[str, str]:
    """Link -> publisher for every reprint the parameters of ``policy`` cite (a value's source and its
    ``also``, a yearly value's source); a link that is also cited as the issuing authority's own page is not
    one. Worked out once for each set of parameters."""
    found = _FOUND.get(id(policy.parameters))
    if found is not None and found[0] is policy.parameters:
        return found[1]
    sources: list[Source] = []
    for parameter in policy.parameters.values():
        for entry in parameter.values:
            sources.extend((entry.source, *entry.also))
        if parameter.yearly is not None:
            sources.append(parameter.yearly.source)
    official = {s.href for s in sources if s.publisher is None}
    out: dict[str, str] = {}
    for source in sources:
        publisher = source.publisher
        if publisher is not None and source.href not in official:
            out.setdefault(source.href, publisher)
    if len(_FOUND) >= _MOST:
        _FOUND.clear()
    _FOUND[id(policy.parameters)] = (policy.parameters, out)
    return out
