"""Repeat petitions: linked, not counted again; not accepted after a concluded re-review."""
from __future__ import annotations

from datetime import timedelta

import pytest

from models.errors import RepeatRejected
from models.lifecycle import CaseStatus
from models.petitioners import Petitioner, normalise_phone
from models.repeats import (
    LINKED,
    NEW,
    NOT_ACCEPTED,
    PriorCase,
    RepeatPolicy,
    check_repeat,
)
from tests.unit.factories import TUESDAY_10AM, village_code

V1, V2 = village_code(1), village_code(2)
ZHANG = Petitioner(phone="13800001111")
T = TUESDAY_10AM


def prior(status=CaseStatus.IN_PROGRESS, who=ZHANG, village=V1, category="water", days_ago=3, case_id="c1"):
    return PriorCase(case_id, who, village, category, status, T - timedelta(days=days_ago),
                     T - timedelta(days=1) if status is CaseStatus.RE_REVIEWED else None)


def test_same_person_same_matter_while_open_links_to_the_case():
    verdict = check_repeat(ZHANG, V1, "water", T, [prior()])
    assert (verdict.outcome, verdict.case_id) == (LINKED, "c1")
    assert "not counted as a new case" in verdict.reason


def test_phone_formats_and_id_numbers_identify_the_same_person():
    assert normalise_phone("+86 138-0000-1111") == "13800001111"
    by_id = Petitioner(id_number="33010219800101123x")
    assert check_repeat(Petitioner(phone="008613800001111"), V1, "water", T, [prior()]).outcome == LINKED
    assert check_repeat(Petitioner(id_number="33010219800101123X"), V1, "water", T, [prior(who=by_id)]).outcome == LINKED


@pytest.mark.parametrize("changed", [
    {"who": Petitioner(phone="13900002222")}, {"village": V2}, {"category": "roads"},
    {"status": CaseStatus.CLOSED}, {"days_ago": 91},
])
def test_anything_different_is_a_new_matter(changed):
    assert check_repeat(ZHANG, V1, "water", T, [prior(**changed)]).outcome == NEW


def test_window_is_configurable():
    assert check_repeat(ZHANG, V1, "water", T, [prior(days_ago=91)], RepeatPolicy(timedelta(days=180))).outcome == LINKED


def test_links_to_the_most_recent_open_case():
    verdict = check_repeat(ZHANG, V1, "water", T, [prior(case_id="old", days_ago=20), prior(case_id="new", days_ago=2)])
    assert verdict.case_id == "new"


def test_anonymous_petitioners_are_never_matched():
    anonymous = Petitioner(phone="13800001111", anonymous=True)
    assert check_repeat(anonymous, V1, "water", T, [prior()]).outcome == NEW


def test_after_a_concluded_re_review_the_same_matter_is_not_accepted_again():
    verdict = check_repeat(ZHANG, V1, "water", T, [prior(CaseStatus.RE_REVIEWED, days_ago=400)])
    assert verdict.outcome == NOT_ACCEPTED and "Art. 36" in verdict.reason
    with pytest.raises(RepeatRejected, match="not accepted again"):
        verdict.raise_if_not_accepted()
    assert check_repeat(ZHANG, V1, "roads", T, [prior(CaseStatus.RE_REVIEWED)]).outcome == NEW


def test_a_repeat_that_accuses_the_owner_of_the_open_case_opens_its_own_case_above_him():
    from models.registration import NewCase, register
    from models.repeats import NEW_ACCUSATION
    from models.routing import RoutingRequest
    from tests.unit.factories import build_roster
    roster = build_roster()
    first = register(NewCase("c1", "e1", RoutingRequest("hotline", V1, "water", "v1-dir"), "help", "normal",
                             T - timedelta(days=3)), roster, T - timedelta(days=3))
    assert first.owner_cadre_id == "v1-dir"

    verdict = check_repeat(ZHANG, V1, "water", T, [PriorCase.of(first, ZHANG)], accused_cadre_ids=["v1-dir"])

    assert (verdict.outcome, verdict.case_id, verdict.code) == (NEW_ACCUSATION, "c1", "repeat.new_accusation")
    assert verdict.opens_case and verdict.params["accused_ids"] == ["v1-dir"]
    second = register(NewCase("c2", "e2", RoutingRequest("hotline", V1, "water", "v1-dir", frozenset({"v1-dir"})),
                              "complaint", "normal", T), roster, T)
    assert second.owner_cadre_id == "v1-sec"
    assert not second.recusal.may_read("v1-dir")


def test_a_repeat_with_the_same_accusation_links_and_one_with_more_does_not():
    accusing = PriorCase("c1", ZHANG, V1, "water", CaseStatus.ASSIGNED, T - timedelta(days=1), None,
                         frozenset({"v1-m2"}))
    assert check_repeat(ZHANG, V1, "water", T, [accusing], accused_cadre_ids=["v1-m2"]).outcome == LINKED
    assert check_repeat(ZHANG, V1, "water", T, [accusing]).outcome == LINKED
    more = check_repeat(ZHANG, V1, "water", T, [accusing], accused_cadre_ids=["v1-m2"], accused_unit_codes=[V2])
    assert (more.outcome, more.params["accused_ids"]) == ("new_accusation", [V2])


def test_a_new_accusation_is_new_facts_even_after_a_concluded_re_review():
    final = prior(CaseStatus.RE_REVIEWED, days_ago=400)
    assert check_repeat(ZHANG, V1, "water", T, [final], accused_cadre_ids=["v1-sec"]).outcome == NEW
    refused = check_repeat(ZHANG, V1, "water", T, [final])
    assert (refused.code, refused.params["case_id"]) == ("repeat.re_reviewed", "c1")


def test_a_petitioners_identity_is_worked_out_once_and_kept_by_the_petitioner_only() -> None:
    """Bounded memory: no process-wide cache keeps every petitioner a worker ever saw."""
    from unittest import mock

    from models import petitioners

    with mock.patch.object(petitioners, "normalise_phone", wraps=petitioners.normalise_phone) as normalise:
        first = Petitioner("138-0000-1111")
        assert first.keys() == first.keys() == frozenset({"phone:13800001111"})
        assert Petitioner("138-0000-1111").keys() == first.keys()
    assert normalise.call_count == 2  # once per petitioner object, not per comparison nor per process
    assert Petitioner("138-0000-1111") == first and hash(Petitioner("138-0000-1111")) == hash(first)


# --- The index a batch checks repeats with (`PriorCases`): the verdict the whole list gives. ---

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from models.repeats import PriorCases  # noqa: E402

# few phones and ID numbers, so people share keys (one phone, two ID numbers), and anonymity
_people = st.builds(Petitioner, phone=st.sampled_from([None, "13800001111", "+86 138-0000-1111", "13900002222"]),
                    id_number=st.sampled_from([None, "33010219800101123X", "330102198001011234"]),
                    anonymous=st.booleans())
_prior_cases = st.builds(
    PriorCase, case_id=st.uuids().map(str), petitioner=_people, village_code=st.sampled_from([V1, V2]),
    category=st.sampled_from(["water", "roads"]),
    status=st.sampled_from([CaseStatus.IN_PROGRESS, CaseStatus.ASSIGNED, CaseStatus.CLOSED, CaseStatus.RE_REVIEWED]),
    opened_at=st.integers(0, 120).map(lambda days: T - timedelta(days=days % 4 * 30)),  # ties in time, too
    re_reviewed_at=st.sampled_from([None, T - timedelta(days=1)]),
    accused_cadre_ids=st.frozensets(st.sampled_from(["v1-dir", "v1-sec"]), max_size=1))


@settings(max_examples=300, deadline=None)
@given(st.lists(_prior_cases, max_size=12), _people, st.frozensets(st.sampled_from(["v1-dir", "v1-sec"]), max_size=1))
def test_the_prior_cases_sharing_a_key_give_the_verdict_of_them_all(prior_cases, who, accused):
    index = PriorCases(prior_cases[:len(prior_cases) // 2])
    for case in prior_cases[len(prior_cases) // 2:]:
        index.add(case)
    whole = check_repeat(who, V1, "water", T, prior_cases, accused_cadre_ids=accused)
    assert check_repeat(who, V1, "water", T, index.sharing_keys_with(who), accused_cadre_ids=accused) == whole


def test_the_index_hands_out_only_the_same_persons_cases_in_the_order_added():
    other = Petitioner(phone="13900002222")
    cases = [prior(case_id="a"), prior(who=other, case_id="b"), prior(who=Petitioner(phone="13800001111",
             id_number="33010219800101123X"), case_id="c")]
    index = PriorCases(cases)
    assert [c.case_id for c in index.sharing_keys_with(ZHANG)] == ["a", "c"]
    assert [c.case_id for c in index.sharing_keys_with(Petitioner(id_number="33010219800101123x"))] == ["c"]
    assert index.sharing_keys_with(Petitioner(phone="13800001111", anonymous=True)) == []
