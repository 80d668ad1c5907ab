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


def test_an_admins_catalogue_in_the_policy_governs_new_cases_and_the_tighter_limit_wins():
    from models import workcalendar as wc
    from models.deadlines import DeadlinePolicy, deadlines_for_new_case, handling_limit
    from tests.unit.factories import TUESDAY_10AM
    admin = DEFAULT_CATALOGUE.with_overrides({"water": {"label": "饮水", "handling_working_days": 3},
                                              "land": {"label": "土地承包与征地", "handling_working_days": 20},
                                              "tea_gardens": {"label": "茶园", "handling_working_days": 7}})
    policy = DeadlinePolicy(catalogue=admin)
    assert admin.governs("water") and admin.governs("tea_gardens") and not admin.governs("roads")
    # the admin's 3 days tighten a help call's 10; 20 days cannot loosen a complaint's 15
    assert handling_limit("help", "water", policy).amount == 3
    assert handling_limit("complaint", "land", policy).amount == 15
    assert handling_limit("help", "roads", policy).amount == 10  # untouched default: the kind decides
    assert handling_limit(None, "land", policy).amount == 20
    added = deadlines_for_new_case("hotline", "complaint", "normal", TUESDAY_10AM, policy, category="tea_gardens")
    assert added["handling"] == wc.add_working_days(TUESDAY_10AM, 7)
    with pytest.raises(DomainError) as refused:
        deadlines_for_new_case("hotline", "help", "normal", TUESDAY_10AM, category="tea_gardens")
    assert refused.value.code == "category.unknown"


def test_a_registered_case_uses_the_catalogue_of_the_policy():
    from models import workcalendar as wc
    from models.deadlines import DeadlinePolicy
    from models.registration import NewCase, register
    from models.routing import RoutingRequest
    from tests.unit.factories import TUESDAY_10AM, build_roster, village_code
    policy = DeadlinePolicy(catalogue=DEFAULT_CATALOGUE.with_overrides({"water": {"handling_working_days": 1}}))
    request = RoutingRequest("hotline", village_code(1), "water", "v1-dir")
    case = register(NewCase("c1", "e1", request, "help", "normal", TUESDAY_10AM), build_roster(), TUESDAY_10AM, policy)
    assert case.deadlines["handling"] == wc.add_working_days(TUESDAY_10AM, 1)
