"""Small checks shared by the case actions; each failure is a coded reason that reads as a sentence."""
from __future__ import annotations

from typing import Any

from models.case import Case, Context
from models.errors import IllegalTransition


def require(condition: bool, code: str, /, **params: Any) -> None:
    """Refuse with the registered reason `code` unless `condition` holds."""
    if not condition:
        raise IllegalTransition.of(code, **params)


def not_recused(case: Case, cadre_id: str, role: str, ctx: Context | None = None) -> None:
    """The case's conflict of interest must allow `cadre_id` to take `role`."""
    case.recusal.permit(cadre_id, role, None if ctx is None else ctx.roster).require()


def text(value: str | None, what: str) -> str:
    require(bool(value and value.strip()), "action.text_required", what=what)
    return (value or "").strip()


def leader(ctx: Context, cadre_id: str | None, what: str) -> str:
    require(ctx.roster is not None, "action.needs_roster", what=what)
    require(cadre_id is not None and ctx.roster.has_cadre(cadre_id) and ctx.roster.is_leader(cadre_id),  # type: ignore[union-attr]
            "decision.not_a_leader", what=what, cadre_id=cadre_id)
    return cadre_id  # type: ignore[return-value]


def known_cadre(ctx: Context, cadre_id: str) -> None:
    if ctx.roster is not None:
        require(ctx.roster.has_cadre(cadre_id), "roster.unknown_cadre", cadre_id=cadre_id)
