"""Errors of the workflow, each with the HTTP status the API answers with."""

from __future__ import annotations


class WorkflowError(Exception):
    status = 400

    def __init__(self, message: str, zh: str = "") -> None:
        super().__init__(message)
        self.message = message  # English: the API's answer
        self.zh = zh or message  # Chinese, for the pages

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.message


class Forbidden(WorkflowError):
    status = 403


class NotFound(WorkflowError):
    status = 404


class Conflict(WorkflowError):
    """The application is not (or no longer) in a state that allows the action."""

    status = 409


class Invalid(WorkflowError):
    status = 422


class Unauthorized(WorkflowError):
    """The credentials presented no longer work (an expired or revoked API token)."""

    status = 401


class TooManyRequests(WorkflowError):
    """Refused for a while: a login locked out after repeated failures, or a rate limit. The message names
    the wait; the API answers 429 with ``Retry-After: retry_after`` (seconds)."""

    status = 429

    def __init__(self, what: str, zh: str, retry_after: int) -> None:
        en_wait, zh_wait = _wait(retry_after)
        super().__init__(f"{what}: try again in {en_wait}", f"{zh}，请{zh_wait}后再试")
        self.retry_after = retry_after


class Unavailable(TooManyRequests):
    """The service cannot decide now (the shared store that counts calls does not answer): the API answers 503
    with ``Retry-After``, instead of letting the call through uncounted or failing with 500."""

    status = 503


def _wait(seconds: int) -> tuple[str, str]:
    """A wait in words: seconds under a minute, else whole minutes (rounded up)."""
    if seconds < 60:
        return (f"{seconds} second" + ("s" if seconds != 1 else ""), f"{seconds}秒")
    minutes = -(-seconds // 60)
    return (f"{minutes} minute" + ("s" if minutes != 1 else ""), f"{minutes}分钟")
