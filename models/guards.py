"""Small checks shared by the case actions; each failure reads as a sentence."""
from __future__ import annotations

from models.case import Case, Context
from models.errors import IllegalTransition


def require(condition: bool, message: str) -> None:
    if not condition:
        raise IllegalTransition(message)


def not_recused(case: Case, cadre_id: str, role: str) -> None:
    reason = case.recusal.reason(cadre_id)
    require(reason is None, f"{reason} and cannot {role} it")


def text(value: str | None, what: str) -> str:
    require(bool(value and value.strip()), f"{what} must not be empty")
    return (value or "").strip()


def leader(ctx: Context, cadre_id: str | None, what: str) -> str:
    require(ctx.roster is not None, f"{what} needs the roster to check the approver is a leader")
    require(cadre_id is not None and ctx.roster.has_cadre(cadre_id) and ctx.roster.is_leader(cadre_id),  # type: ignore[union-attr]
            f"{what} must be approved by a township leader; {cadre_id} is not one")
    return cadre_id  # type: ignore[return-value]


def known_cadre(ctx: Context, cadre_id: str) -> None:
    if ctx.roster is not None:
        require(ctx.roster.has_cadre(cadre_id), f"unknown cadre {cadre_id}")
