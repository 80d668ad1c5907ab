"""Error answers, so the OpenAPI document promises what the API really says."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Problem(BaseModel):
    detail: str


class ActionRefused(BaseModel):
    """409: the action is not possible now; what the case is and what it allows instead."""
    detail: str
    state: str | None = None
    allowed_actions: list[str] | None = None


def answers(*codes: int) -> dict[int | str, dict[str, Any]]:
    models: dict[int, type[BaseModel]] = {401: Problem, 403: Problem, 404: Problem, 409: ActionRefused,
                                          413: Problem, 429: Problem, 503: Problem}
    return {code: {"model": models[code]} for code in codes}
