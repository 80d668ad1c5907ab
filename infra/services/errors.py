"""What a use case answers when it cannot do what was asked. Each edge translates these
(HTTP 404/403/409/422/503, a CLI message, a dead letter); the message is readable, and
`code` + `params` let the web UI say it in the reader's language."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from models.errors import DomainError


class ServiceError(Exception):
    code = "service.error"

    def __init__(self, message: str, *, code: str | None = None, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = dict(params or {})


class NotFound(ServiceError):
    """Unknown, or invisible to the caller: the two answers are the same on purpose."""
    code = "not_found"


class Forbidden(ServiceError):
    code = "forbidden"


class Conflict(ServiceError):
    """The case's state (or a concurrent change) does not allow it now."""
    code = "conflict"

    def __init__(self, message: str, *, state: str | None = None, allowed_actions: Sequence[str] = (),
                 code: str | None = None, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message, code=code, params=params)
        self.state = state
        self.allowed_actions = list(allowed_actions)


class Invalid(ServiceError):
    """A field of the command is wrong: names the field."""
    code = "invalid"

    def __init__(self, field: str, message: str, *, code: str | None = None,
                 params: Mapping[str, Any] | None = None, where: str = "body") -> None:
        super().__init__(message, code=code, params={"field": field, **(params or {})})
        self.field = field
        self.where = where  # body | query | path


class Unavailable(ServiceError):
    """Not possible yet (e.g. no roster imported): try again later."""
    code = "unavailable"


def refused(error: DomainError, *, state: str | None = None, allowed: Sequence[str] = ()) -> Conflict:
    """A domain refusal, as the caller hears it."""
    return Conflict(str(error), state=state, allowed_actions=allowed, code=error.code, params=error.params)


def forbidden(error: DomainError) -> Forbidden:
    return Forbidden(str(error), code=error.code, params=error.params)


class NoRosterYet(Unavailable):
    """Nothing can be routed or scoped before a roster is imported; events wait, they are not refused."""
    code = "roster.missing"

    def __init__(self) -> None:
        super().__init__("no roster has been imported yet: run `minqing roster import FILE`")


class LoginFailed(ServiceError):
    code = "login.refused"

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
