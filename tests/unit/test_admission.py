"""Rules at the edge: accused ids name roster entries; occurred_at is not in the future."""
from __future__ import annotations

from datetime import timedelta

import pytest

from models.admission import AccusedUnknown, check_occurred_at, fold, resolve_accused
from models.errors import DomainError
from tests.unit.factories import TOWNSHIP, TUESDAY_10AM, build_roster, village_code

ROSTER = build_roster()
V1 = village_code(1)


@pytest.mark.parametrize("spelling", ["v1-dir", "V1-DIR", " v1-dir ", "ｖ１－ｄｉｒ", "v1‐dir", "v1-dіr", "v1-d\u200bir"])
def test_letter_case_full_width_and_look_alikes_name_the_same_cadre(spelling):
    assert resolve_accused(ROSTER, [spelling]).cadre_ids == ("v1-dir",)


def test_units_resolve_and_duplicates_collapse():
    accusation = resolve_accused(ROSTER, ["t-l1", "T-L1"], ["３３０１０２００１００１", TOWNSHIP])
    assert accusation.cadre_ids == ("t-l1",)
    assert accusation.unit_codes == (V1, TOWNSHIP)


def test_an_id_naming_nobody_is_refused_with_its_field():
    with pytest.raises(AccusedUnknown) as refused:
        resolve_accused(ROSTER, ["v1-dir", "v1-dri"], ["330102001099"])
    assert refused.value.code == "accused.unknown_cadre"
    assert refused.value.params["field"] == "accused.cadre_ids[1]"
    assert refused.value.params["fields"] == ["accused.cadre_ids[1]", "accused.unit_codes[0]"]
    assert str(refused.value) == "accused.cadre_ids[1]: 'v1-dri' names no cadre of the roster"


def test_an_unknown_unit_alone_is_named_too():
    with pytest.raises(AccusedUnknown) as refused:
        resolve_accused(ROSTER, [], ["330102001099"], field="body.accused")
    assert (refused.value.code, refused.value.params["field"]) == ("accused.unknown_unit", "body.accused.unit_codes[0]")


def test_two_roster_ids_that_fold_alike_make_an_accusation_ambiguous():
    from models.roster import Roster
    from tests.unit.factories import roster_data
    data = roster_data()
    data["cadres"].append({**data["cadres"][-1], "cadre_id": "V1-DIR", "unit_code": V1, "posts": []})
    with pytest.raises(AccusedUnknown) as refused:
        resolve_accused(Roster.from_contract(data), ["v1-dir"])
    assert refused.value.code == "accused.ambiguous"
    assert refused.value.params["matches"] == "v1-dir, V1-DIR"


def test_folding_keeps_ordinary_ids_apart():
    assert fold("v1-m1") != fold("v1-m2")
    assert fold("ＡＢ－１") == fold("ab-1")


def test_an_event_more_than_ten_minutes_ahead_is_refused():
    check_occurred_at(TUESDAY_10AM + timedelta(minutes=10), TUESDAY_10AM)
    check_occurred_at(TUESDAY_10AM - timedelta(days=400), TUESDAY_10AM)
    with pytest.raises(DomainError) as refused:
        check_occurred_at(TUESDAY_10AM + timedelta(minutes=10, seconds=1), TUESDAY_10AM)
    assert refused.value.code == "event.occurred_in_future"
    assert refused.value.params["field"] == "occurred_at"
    with pytest.raises(DomainError, match="more than 10 minutes ahead"):
        check_occurred_at(TUESDAY_10AM.replace(year=2199), TUESDAY_10AM)
