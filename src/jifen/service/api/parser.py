"""The API's JSON bodies: text must be Unicode that can be stored and hashed.

JSON can escape half of a surrogate pair on its own (``"\\ud800"``); Python decodes it into a string that
cannot be encoded as UTF-8, so it failed deep inside (a database query, a password hash) with a server
error. Strict parsers refuse such a document; so does this one: the body is answered 400 ("Cannot parse
request body") like any other body that is not JSON. A pair written as two escapes is one character and
stays accepted.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser
from ninja.types import DictStrAny

_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class LoneSurrogateError(ValueError):
    pass


def refuse_lone_surrogates(data: Any) -> None:
    """Raise LoneSurrogateError when any text in ``data`` (keys included) holds half a surrogate pair."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                raise LoneSurrogateError("text with half a surrogate pair (not Unicode)")
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        body = request.body
        data = json.loads(body)
        if _ESCAPED_SURROGATE.search(body):  # only then can a decoded string hold a lone surrogate
            refuse_lone_surrogates(data)
        return cast(DictStrAny, data)
