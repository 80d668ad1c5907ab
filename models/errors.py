"""Domain errors: values a person can read, never a bare ValueError.

Every error names the thing that went wrong in the words of the people who use the system,
so the API and the stream worker can pass the message straight through. Every error also
carries a `code` and `params` (templates in `models.reasons`), which the web UI translates.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Self, TypeVar

from models.reasons import render

E = TypeVar("E", bound="DomainError")


class DomainError(Exception):
    """Base of every rule violation raised by the domain core.

    `code` and `params` say the same as the message in a form the web UI translates (its
    catalogues render `reason.<code>` with the params); see `models.reasons` for every code."""

    code: str = "domain.refused"

    def __init__(self, message: str = "", *, code: str | None = None,
                 params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = dict(params or {})
        if code is None and not self.params:
            self.params = {"message": message}

    @classmethod
    def of(cls, code: str, **params: Any) -> Self:
        """The error for a registered reason: its English message rendered from the template."""
        return cls(render(code, params), code=code, params=params)


class RosterError(DomainError):
    """A roster failed validation. Collects every problem so an import is fixed in one pass."""

    def __init__(self, problems: Iterable[str], *, code: str = "roster.invalid",
                 params: Mapping[str, Any] | None = None) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        count = len(self.problems)
        heading = f"roster has {count} problem{'s' if count != 1 else ''}"
        super().__init__(heading + ":\n" + "\n".join(f"- {p}" for p in self.problems), code=code,
                         params={"count": count, "problems": list(self.problems), **(params or {})})


class RoutingError(DomainError):
    """No lawful owner or handler could be found for a case."""


class UnknownCadre(RosterError, RoutingError):
    def __init__(self, cadre_id: str) -> None:
        super().__init__([f"unknown cadre {cadre_id}"], code="roster.unknown_cadre", params={"cadre_id": cadre_id})
        self.cadre_id = cadre_id


class UnknownUnit(RosterError, RoutingError):
    def __init__(self, kind: str, code: str) -> None:
        super().__init__([f"unknown {kind} {code}"], code="roster.unknown_unit", params={"kind": kind, "unit_code": code})
        self.unit_code = code


class IllegalTransition(DomainError):
    """An action that the case's current state does not allow, or whose conditions fail."""


class DeadlineError(DomainError):
    """A deadline could not be computed (e.g. a naive timestamp) or a time limit was broken."""


class RepeatRejected(DomainError):
    """The same matter cannot be accepted again (e.g. after a concluded re-review)."""


class CalendarError(DomainError):
    """An imported working-day schedule is malformed or contradicts itself."""


class Recused(IllegalTransition):
    """Someone the case's conflict of interest excludes was asked to own, handle or decide it."""
