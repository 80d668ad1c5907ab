"""The category catalogue is data: defaults, Chinese labels and per-deployment overrides."""
from __future__ import annotations

import pytest

from models.categories import DEFAULT_CATALOGUE
from models.errors import DomainError

EXPECTED = {"water", "land", "roads", "social_security", "medical", "elderly", "dispute", "environment",
            "safety", "village_affairs", "other"}


def test_default_catalogue_has_the_issue_categories_with_chinese_labels():
    assert DEFAULT_CATALOGUE.codes() == EXPECTED
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in c.label) for c in DEFAULT_CATALOGUE.categories)
    assert all(c.handling_working_days > 0 for c in DEFAULT_CATALOGUE.categories)


def test_absent_category_means_other():
    assert DEFAULT_CATALOGUE.get(None).code == "other"


def test_overrides_change_limits_and_add_categories_without_touching_the_default():
    custom = DEFAULT_CATALOGUE.with_overrides({"water": {"handling_working_days": 1},
                                               "tea_gardens": {"label": "茶园", "handling_working_days": 7}})
    assert custom.get("water").handling_working_days == 1
    assert custom.get("tea_gardens").label == "茶园"
    assert DEFAULT_CATALOGUE.get("water").handling_working_days != 1
    with pytest.raises(DomainError, match="unknown category tea_gardens"):
        DEFAULT_CATALOGUE.get("tea_gardens")
