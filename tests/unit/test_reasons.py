"""Every reason the domain gives is a registered code with an English template."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import models
from models.errors import (
    DomainError,
    IllegalTransition,
    RosterError,
    UnknownCadre,
    UnknownUnit,
)
from models.reasons import TEMPLATES, Reason, render

MODELS = Path(models.__file__).parent
CODE = re.compile(r"^[a-z][a-z_]*\.[a-z_]+$")
FACTS = ("conflict.accused", "conflict.accused_unit", "conflict.below_accused")


def _literals() -> set[str]:
    found = set()
    for path in MODELS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
                found.add(node.value)
    return found


def test_every_code_used_in_the_domain_is_registered():
    from models.intake import INPUT_TOPICS
    unregistered = sorted(code for code in _literals() - set(INPUT_TOPICS) if code not in TEMPLATES)
    assert unregistered == []
    assert all(f"{fact}_may_not" in TEMPLATES for fact in FACTS)


def test_codes_are_dotted_lowercase():
    assert all(CODE.match(code) for code in TEMPLATES)


def test_a_domain_error_keeps_its_english_message_and_carries_code_and_params():
    error = IllegalTransition.of("extension.days_out_of_range", days=31, limit=30)
    assert (str(error), error.code, error.params) == ("an extension is 1 to 30 days, not 31",
                                                      "extension.days_out_of_range", {"days": 31, "limit": 30})
    assert Reason("roster.unknown_cadre", {"cadre_id": "x"}).to_dict() == {"code": "roster.unknown_cadre",
                                                                            "params": {"cadre_id": "x"}}
    assert render("nope.missing", {"a": 1}) == "nope.missing {'a': 1}"


@pytest.mark.parametrize(("error", "code"), [
    (RosterError(["a", "b"]), "roster.invalid"), (UnknownCadre("ghost"), "roster.unknown_cadre"),
    (UnknownUnit("village", "1"), "roster.unknown_unit"), (DomainError("free text"), "domain.refused"),
])
def test_roster_and_plain_errors_have_codes_and_params(error, code):
    assert error.code == code and error.params
