"""The demo township roster and the event simulator (infra/demo)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from infra.demo.simulate import (
    MIX,
    TOPICS,
    contactcard_feedback,
    diary_entries,
    hotline_calls,
    mixed_events,
    reception_visits,
)
from infra.demo.township import CATEGORIES, TWO_COMMITTEE_POSTS, demo_roster

START = datetime(2026, 11, 30, 8, 0, tzinfo=timezone(timedelta(hours=8)))
POSTS = {
    "party_secretary",
    "deputy_secretary",
    "director",
    "deputy_director",
    "member",
    "leader_in_charge",
    "first_secretary",
    "petition_staff",
    "operator",
}
KINDS = {"consult", "help", "suggestion", "complaint", "report"}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$")
PHONE = re.compile(r"^1[3-9]\d{9}$")
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")


@pytest.fixture(scope="module")
def roster() -> dict:
    return demo_roster()


@pytest.fixture(scope="module")
def index(roster):
    units = {u["code"]: u for u in roster["units"]}
    cadres = {c["cadre_id"]: c for c in roster["cadres"]}
    villages = [u["code"] for u in roster["units"] if u["kind"] == "village"]
    township = [u["code"] for u in roster["units"] if u["kind"] == "township"]
    return units, cadres, villages, township


def village_cadres(roster, code):
    return [c for c in roster["cadres"] if c["unit_code"] == code]


# --- roster -----------------------------------------------------------------------


def test_roster_shape(roster):
    assert set(roster) == {"units", "cadres", "in_charge"}
    for u in roster["units"]:
        assert set(u) == {"code", "name", "kind", "parent_code"}
        assert u["kind"] in {"township", "village", "group"}
        assert u["name"]
    for c in roster["cadres"]:
        assert set(c) == {"cadre_id", "name", "phone", "unit_code", "posts", "responsibilities", "backup_cadre_id"}
        assert c["posts"] and set(c["posts"]) <= POSTS
        assert set(c["responsibilities"]) <= set(CATEGORIES)
        assert PHONE.match(c["phone"]), c
        assert re.fullmatch(r"[a-z0-9-]{1,64}", c["cadre_id"])
    for e in roster["in_charge"]:
        assert set(e) == {"village_code", "cadre_id"}


def test_fresh_copy_each_call():
    a = demo_roster()
    a["cadres"].clear()
    assert demo_roster()["cadres"]


def test_codes_are_12_digits_unique_and_hierarchical(roster, index):
    units, _, villages, township = index
    codes = [u["code"] for u in roster["units"]]
    assert all(re.fullmatch(r"\d{12}", c) for c in codes)
    assert len(codes) == len(set(codes))
    assert len(township) == 1 and units[township[0]]["parent_code"] is None
    assert township[0].endswith("000")
    for u in roster["units"]:
        if u["kind"] == "village":
            assert u["parent_code"] == township[0]
            assert u["code"][:9] == township[0][:9]
        elif u["kind"] == "group":
            assert units[u["parent_code"]]["kind"] == "village"


def test_five_villages_with_two_or_three_groups(roster, index):
    units, _, villages, _ = index
    assert len(villages) == 5
    for v in villages:
        groups = [u for u in roster["units"] if u["kind"] == "group" and u["parent_code"] == v]
        assert 2 <= len(groups) <= 3


def test_each_village_has_full_two_committees(roster, index):
    _, _, villages, _ = index
    for v in villages:
        posts = [p for c in village_cadres(roster, v) for p in c["posts"]]
        for post in ("party_secretary", "deputy_secretary", "director", "deputy_director"):
            assert posts.count(post) == 1, (v, post)
        assert 2 <= posts.count("member") <= 3
        secretaries = [c for c in village_cadres(roster, v) if "party_secretary" in c["posts"]]
        directors = [c for c in village_cadres(roster, v) if "director" in c["posts"]]
        assert secretaries[0]["cadre_id"] != directors[0]["cadre_id"]


def test_names_and_phones_unique(roster):
    names = [c["name"] for c in roster["cadres"]]
    phones = [c["phone"] for c in roster["cadres"]]
    ids = [c["cadre_id"] for c in roster["cadres"]]
    assert len(names) == len(set(names))
    assert len(phones) == len(set(phones))
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", n) for n in names)


def test_every_cadre_unit_exists(roster, index):
    units, _, _, _ = index
    for c in roster["cadres"]:
        assert c["unit_code"] in units
        assert units[c["unit_code"]]["kind"] in {"township", "village"}


def test_leader_in_charge_per_village(roster, index):
    units, cadres, villages, township = index
    entries = {e["village_code"]: e["cadre_id"] for e in roster["in_charge"]}
    assert len(roster["in_charge"]) == len(villages)
    assert set(entries) == set(villages)
    for _village, cid in entries.items():
        leader = cadres[cid]
        assert leader["unit_code"] == township[0]
        assert "leader_in_charge" in leader["posts"]
    assert 2 <= len(set(entries.values())) <= 3


def test_township_staff(roster, index):
    _, _, _, township = index
    staff = village_cadres(roster, township[0])
    posts = [p for c in staff for p in c["posts"]]
    assert posts.count("party_secretary") == 1
    assert posts.count("operator") == 2
    assert 1 <= posts.count("petition_staff") <= 2


def test_backups_exist_same_unit_and_acyclic(roster, index):
    units, cadres, _, _ = index
    for c in roster["cadres"]:
        b = c["backup_cadre_id"]
        if b is not None:
            assert b in cadres, c
            assert b != c["cadre_id"]
            assert cadres[b]["unit_code"] == c["unit_code"], c
        seen = {c["cadre_id"]}
        while b is not None:
            assert b not in seen, f"backup cycle through {c['cadre_id']}"
            seen.add(b)
            b = cadres[b]["backup_cadre_id"]
    # Exactly one root (no backup) per unit that has cadres.
    for code in {c["unit_code"] for c in roster["cadres"]}:
        roots = [c for c in roster["cadres"] if c["unit_code"] == code and c["backup_cadre_id"] is None]
        assert len(roots) == 1, code


def test_every_category_has_a_responsible_cadre_in_each_village(roster, index):
    _, _, villages, _ = index
    for v in villages:
        resp = [r for c in village_cadres(roster, v) for r in c["responsibilities"]]
        for cat in CATEGORIES:
            assert resp.count(cat) == 1, (v, cat)
        for c in village_cadres(roster, v):
            if TWO_COMMITTEE_POSTS & set(c["posts"]):
                assert c["responsibilities"]


# --- simulator --------------------------------------------------------------------

GENERATORS = {
    "hotline.calls": hotline_calls,
    "contactcard.feedback": contactcard_feedback,
    "diary.entries": diary_entries,
    "reception.visits": reception_visits,
}


def check_common(event, index):
    _, _, villages, _ = index
    assert isinstance(event["event_id"], str) and 1 <= len(event["event_id"]) <= 64
    assert RFC3339.match(event["occurred_at"]), event["occurred_at"]
    assert datetime.fromisoformat(event["occurred_at"]) > START
    assert event["village_code"] in villages
    assert event["category"] in CATEGORIES
    assert isinstance(event["summary"], str) and 1 <= len(event["summary"]) <= 200
    if "details" in event:
        assert isinstance(event["details"], str) and len(event["details"]) <= 4000


def committee_of(index, village):
    _, cadres, _, _ = index
    return {
        cid for cid, c in cadres.items() if c["unit_code"] == village and TWO_COMMITTEE_POSTS & set(c["posts"])
    }


def check_accused(event, index, visited):
    if "accused" not in event:
        return
    assert event["kind"] in {"complaint", "report"}
    acc = event["accused"]
    assert set(acc) == {"cadre_ids", "unit_codes"}
    assert acc["cadre_ids"] and acc["unit_codes"] == []
    assert set(acc["cadre_ids"]) <= committee_of(index, event["village_code"])
    assert visited not in acc["cadre_ids"]


def check_hotline(e, index):
    _, cadres, _, _ = index
    assert cadres[e["operator_id"]]["posts"] == ["operator"]
    caller = e["caller"]
    assert set(caller) == {"name", "phone", "id_number", "anonymous"}
    assert isinstance(caller["anonymous"], bool)
    if caller["anonymous"]:
        assert caller["name"] is None and caller["phone"] is None and caller["id_number"] is None
    else:
        assert caller["name"] and PHONE.match(caller["phone"])
        assert caller["id_number"] is None or ID_NUMBER.match(caller["id_number"])
    if e["dialed_cadre_id"] is not None:
        assert e["dialed_cadre_id"] in committee_of(index, e["village_code"])
    assert e["kind"] in KINDS
    assert e["urgency"] in {"normal", "urgent"}
    check_accused(e, index, e["dialed_cadre_id"])


def check_contactcard(e, index):
    assert e["card_cadre_id"] in committee_of(index, e["village_code"])
    assert set(e["resident"]) == {"name", "phone"}
    assert PHONE.match(e["resident"]["phone"])
    assert e["channel"] in {"phone", "sms", "wechat", "in_person"}
    assert e["kind"] in KINDS
    check_accused(e, index, e["card_cadre_id"])


def check_diary(e, index):
    assert e["author_cadre_id"] in committee_of(index, e["village_code"])
    assert isinstance(e["household"], str) and e["household"]
    fields = [e["problems"], e["difficulties"], e["hopes"]]
    assert all(isinstance(f, str) for f in fields) and any(fields)
    assert isinstance(e["resolved_on_spot"], bool)
    if e["resolved_on_spot"]:
        assert isinstance(e["resolution"], str) and e["resolution"]
    else:
        assert "resolution" not in e
    assert "accused" not in e


def check_reception(e, index):
    _, cadres, _, township = index
    r = cadres[e["receiving_cadre_id"]]
    if r["unit_code"] == township[0]:
        assert {"leader_in_charge", "party_secretary"} & set(r["posts"])
    else:
        assert r["unit_code"] == e["village_code"] and "party_secretary" in r["posts"]
    assert isinstance(e["visitor_count"], int) and 1 <= e["visitor_count"] <= 8
    reps = e["representatives"]
    assert 1 <= len(reps) <= 5 and len(reps) <= e["visitor_count"]
    for p in reps:
        assert set(p) == {"name", "phone"} and p["name"] and PHONE.match(p["phone"])
    assert e["kind"] in KINDS
    check_accused(e, index, e["receiving_cadre_id"])


CHECKS = {
    "hotline.calls": check_hotline,
    "contactcard.feedback": check_contactcard,
    "diary.entries": check_diary,
    "reception.visits": check_reception,
}


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_generator(topic, roster, index):
    events = list(GENERATORS[topic](roster, 400, seed=11, start=START))
    assert len(events) == 400
    assert len({e["event_id"] for e in events}) == 400
    times = [datetime.fromisoformat(e["occurred_at"]) for e in events]
    assert times == sorted(times)
    for e in events:
        check_common(e, index)
        CHECKS[topic](e, index)
    assert len({e["village_code"] for e in events}) == 5


def test_hotline_proportions(roster):
    events = list(hotline_calls(roster, 2000, seed=5, start=START))
    n = len(events)
    anonymous = sum(e["caller"]["anonymous"] for e in events) / n
    dialed = sum(e["dialed_cadre_id"] is not None for e in events) / n
    urgent = sum(e["urgency"] == "urgent" for e in events) / n
    accused = sum("accused" in e for e in events) / n
    assert 0.02 < anonymous < 0.10
    assert 0.50 < dialed < 0.70
    assert 0.02 < urgent < 0.09
    assert 0.005 < accused < 0.08
    kinds = {k: sum(e["kind"] == k for e in events) for k in KINDS}
    assert kinds["help"] + kinds["consult"] > n / 2
    assert {e["category"] for e in events} == set(CATEGORIES)


def test_diary_resolved_share(roster):
    events = list(diary_entries(roster, 1000, seed=2, start=START))
    share = sum(e["resolved_on_spot"] for e in events) / len(events)
    assert 0.3 < share < 0.5


def test_count_zero_and_small(roster):
    assert list(hotline_calls(roster, 0, seed=1, start=START)) == []
    assert len(list(mixed_events(roster, 3, seed=1, start=START))) == 3


def test_naive_start_is_beijing_time(roster):
    e = next(hotline_calls(roster, 1, seed=1, start=datetime(2026, 1, 1, 9, 0)))
    assert e["occurred_at"].startswith("2026-01-01T09:") and e["occurred_at"].endswith("+08:00")


def test_mixed_events(roster, index):
    pairs = list(mixed_events(roster, 1000, seed=9, start=START))
    assert len(pairs) == 1000
    ids = [e["event_id"] for _, e in pairs]
    assert len(set(ids)) == 1000
    counts = {t: sum(1 for topic, _ in pairs if topic == t) for t in TOPICS}
    for topic, pct in MIX.items():
        assert abs(counts[topic] / 1000 - pct / 100) < 0.05, counts
    for topic, e in pairs:
        check_common(e, index)
        CHECKS[topic](e, index)


@pytest.mark.parametrize("topic", TOPICS)
def test_deterministic_per_seed(topic, roster):
    gen = GENERATORS[topic]
    a = list(gen(roster, 50, seed=42, start=START))
    b = list(gen(demo_roster(), 50, seed=42, start=START))
    c = list(gen(roster, 50, seed=43, start=START))
    assert a == b
    assert a != c
    assert {e["event_id"] for e in a}.isdisjoint(e["event_id"] for e in c)


def test_mixed_deterministic_per_seed(roster):
    a = list(mixed_events(roster, 100, seed=1, start=START))
    assert a == list(mixed_events(roster, 100, seed=1, start=START))
    assert a != list(mixed_events(roster, 100, seed=2, start=START))


def test_event_ids_distinct_across_generators(roster):
    ids = [e["event_id"] for gen in GENERATORS.values() for e in gen(roster, 30, seed=1, start=START)]
    ids += [e["event_id"] for _, e in mixed_events(roster, 30, seed=1, start=START)]
    assert len(ids) == len(set(ids))


def test_huge_seed_keeps_event_id_short(roster):
    e = next(hotline_calls(roster, 1, seed=10**80, start=START))
    assert len(e["event_id"]) <= 64


def test_early_warning_clusters_present(roster):
    """Some bursts: >= 4 calls from one village on one summary within two hours."""
    events = list(hotline_calls(roster, 2000, seed=8, start=START))
    found = False
    for i, e in enumerate(events):
        t0 = datetime.fromisoformat(e["occurred_at"])
        same = [
            x
            for x in events[i : i + 10]
            if x["village_code"] == e["village_code"]
            and x["summary"] == e["summary"]
            and datetime.fromisoformat(x["occurred_at"]) - t0 <= timedelta(hours=2)
        ]
        if len(same) >= 4:
            found = True
            break
    assert found


def test_roster_without_operators_is_rejected(roster):
    bare = {**roster, "cadres": [c for c in roster["cadres"] if "operator" not in c["posts"]]}
    with pytest.raises(ValueError):
        list(hotline_calls(bare, 1, seed=1, start=START))


# --- against the project's own models -------------------------------------------


def test_events_validate_against_intake_models(roster):
    from models.intake import INPUT_TOPICS

    for topic, event in mixed_events(roster, 200, seed=21, start=START):
        INPUT_TOPICS[topic][1].model_validate(event)


def test_roster_passes_roster_validation(roster):
    roster_module = pytest.importorskip("models.roster")
    built = roster_module.Roster.from_contract(roster)
    assert len(built.cadres) == len(roster["cadres"])
