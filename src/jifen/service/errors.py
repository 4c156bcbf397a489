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
