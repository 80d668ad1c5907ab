"""Every reason the domain gives — a refusal, a routing step, a timeline note — has a code,
parameters and an English template here. The message catalogues of the web UI translate by
code (`reason.<code>`), so a Chinese screen never shows an English sentence or a raw code.
A unit test checks that both catalogues cover every code listed here."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TEMPLATES: dict[str, str] = {
    "domain.refused": "{message}",
}


def render(code: str, params: Mapping[str, Any]) -> str:
    """The English text of a reason (for logs, the CLI and English-only clients)."""
    template = TEMPLATES.get(code)
    if template is None:
        return f"{code} {dict(params)}"
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return f"{code} {dict(params)}"
