"""Early warning: N distinct petitioners of one village on one category within a window."""
from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from models.early_warning import (
    Sighting,
    Timeline,
    WarningPolicy,
    check_cluster,
    check_group_visit,
)
from tests.unit.factories import TUESDAY_10AM, build_roster, village_code

ROSTER = build_roster()
V1, V2 = village_code(1), village_code(2)
T = TUESDAY_10AM


def sightings(n, village=V1, category="water", spacing=timedelta(hours=1), start=T):
    return [Sighting(f"phone:1380000{i:04d}", village, category, start + i * spacing, f"c{i}") for i in range(n)]


def test_fifth_distinct_petitioner_within_24_hours_alerts_the_leader_in_charge():
    history = sightings(5)
    assert all(check_cluster(s, history[:i], ROSTER) is None for i, s in enumerate(history[:4]))
    alert = check_cluster(history[4], history[:4], ROSTER)
    assert alert is not None
    assert (alert.leader_cadre_id, alert.petitioner_count) == ("t-l1", 5)
    assert alert.case_ids == ("c0", "c1", "c2", "c3", "c4")
    assert "possible collective petition" in alert.message and "1380000" not in alert.alert_id


def test_the_same_person_calling_five_times_is_not_a_cluster():
    calls = [Sighting("phone:13800001111", V1, "water", T + timedelta(hours=i)) for i in range(6)]
    assert all(check_cluster(c, calls[:i], ROSTER) is None for i, c in enumerate(calls))


def test_petitioners_outside_the_window_do_not_count():
    spread = sightings(5, spacing=timedelta(hours=7))  # first and fifth are 28 hours apart
    assert check_cluster(spread[4], spread[:4], ROSTER) is None


def test_other_villages_and_categories_do_not_count():
    mixed = sightings(2) + sightings(2, village=V2) + sightings(2, category="roads")
    newcomer = Sighting("phone:13999999999", V1, "water", T + timedelta(hours=5))
    assert check_cluster(newcomer, mixed, ROSTER) is None


def test_one_alert_per_crossing_not_one_per_later_call():
    history = sightings(6)
    assert check_cluster(history[5], history[:5], ROSTER) is None


def test_threshold_and_window_are_configurable():
    policy = WarningPolicy(threshold=3, window=timedelta(hours=2))
    history = sightings(3, spacing=timedelta(minutes=30))
    assert check_cluster(history[2], history[:2], ROSTER, policy).petitioner_count == 3


def test_a_large_group_visit_is_itself_a_warning():
    assert check_group_visit(V2, "land", 4, T, "visit-1", ROSTER) is None
    alert = check_group_visit(V2, "land", 30, T, "visit-2", ROSTER)
    assert (alert.leader_cadre_id, alert.petitioner_count) == ("t-l2", 30)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.sampled_from([V1, V2]), st.integers(0, 72 * 60)), max_size=30))
def test_an_alert_comes_exactly_when_a_window_first_fills(raw):
    stream = sorted((Sighting(f"phone:{k}", v, "water", T + timedelta(minutes=m)) for k, v, m in raw),
                    key=lambda s: s.at)
    policy = WarningPolicy()
    filled: set[str] = set()
    for i, sighting in enumerate(stream):
        alert = check_cluster(sighting, stream[:i], ROSTER, policy)
        in_window = {s.petitioner_key for s in stream[:i + 1] if s.village_code == sighting.village_code
                     and sighting.at - policy.window < s.at <= sighting.at}
        if alert is not None:
            assert len(in_window) == alert.petitioner_count == policy.threshold
            assert alert.leader_cadre_id == ROSTER.leader_in_charge(sighting.village_code).cadre_id
        if len(in_window) >= policy.threshold and sighting.village_code not in filled:
            assert alert is not None  # the first time a village's window fills, it alerts
            filled.add(sighting.village_code)
        if len(in_window) < policy.threshold:
            assert alert is None


@settings(max_examples=200, deadline=None)
@given(st.permutations(range(5)), st.lists(st.integers(0, 23 * 60), min_size=5, max_size=5))
def test_five_petitioners_within_a_window_alert_once_whatever_the_order_they_arrive_in(order, minutes):
    """Four partitions, or a diary entry typed in days later: arrival order is not time order."""
    cluster = [Sighting(f"phone:{n}", V1, "water", T + timedelta(minutes=m), f"c{n}") for n, m in enumerate(minutes)]
    arrived = [cluster[i] for i in order]
    alerts = [check_cluster(s, arrived[:i], ROSTER) for i, s in enumerate(arrived)]
    raised = [a for a in alerts if a is not None]
    assert len(raised) == 1 and alerts[-1] is not None  # the fifth to arrive completes it
    assert sorted(raised[0].case_ids) == [f"c{n}" for n in range(5)] and raised[0].petitioner_count == 5


def test_a_late_sighting_that_only_joins_an_alerted_cluster_raises_nothing():
    history = sightings(5)  # alerted when the fifth came
    late = Sighting("phone:late", V1, "water", T + timedelta(minutes=30), "late")
    assert check_cluster(late, history, ROSTER) is None


def test_a_late_sighting_completing_a_cluster_that_straddles_it_alerts():
    earlier = [Sighting(f"phone:{n}", V1, "water", T + timedelta(hours=h), f"c{n}") for n, h in enumerate((0, 1, 3, 4))]
    late = Sighting("phone:late", V1, "water", T + timedelta(hours=2), "late")
    alert = check_cluster(late, earlier, ROSTER)
    assert alert is not None and alert.petitioner_count == 5 and "late" in alert.case_ids


def test_a_cluster_with_a_case_accusing_the_leader_in_charge_alerts_the_party_secretary_and_hides_from_him():
    history = sightings(5)
    history[2] = Sighting(history[2].petitioner_key, V1, "water", history[2].at, "c2", frozenset({"t-l1"}))
    alert = check_cluster(history[4], history[:4], ROSTER)
    assert alert.leader_cadre_id == "t-sec"
    assert alert.accusing_case_ids == ("c2",)
    assert not alert.visible_to("t-l1")
    assert not alert.visible_to("v1-sec")  # stands below the accused leader in charge
    assert alert.visible_to("t-sec") and alert.visible_to("t-l2")
    assert "t-l1" not in alert.message and alert.reason.code == "early_warning.cluster"


def test_a_cluster_accusing_a_village_cadre_still_alerts_the_leader_in_charge_but_hides_from_the_accused():
    history = [Sighting(s.petitioner_key, V1, "water", s.at, s.case_id, frozenset({"v1-m2"})) for s in sightings(5)]
    alert = check_cluster(history[4], history[:4], ROSTER)
    assert alert.leader_cadre_id == "t-l1"
    assert alert.hidden_from == frozenset({"v1-m2"})


def test_a_group_visit_accusing_the_party_secretary_goes_to_the_county():
    alert = check_group_visit(V2, "land", 30, T, "visit-3", ROSTER, accused_cadre_ids=frozenset({"t-sec"}),
                              case_id="c9")
    assert alert.to_county and alert.leader_cadre_id is None
    assert alert.accusing_case_ids == ("c9",)
    assert not alert.visible_to("t-l2")


def _oracle(new, history, policy):
    """The rule by brute force over every window holding `new` (what check_cluster did before
    the timeline): None if one held the threshold without it, else whether one reaches it with it."""
    others = [s for s in history if (s.village_code, s.category) == (new.village_code, new.category) and s != new]
    anchors = [s.at for s in others if new.at - policy.window < s.at <= new.at] + [new.at]
    windows = [{s.petitioner_key for s in others if a <= s.at < a + policy.window} for a in anchors]
    if any(len(keys) >= policy.threshold for keys in windows):
        return False
    return any(new.petitioner_key not in keys and len(keys) + 1 == policy.threshold for keys in windows)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from([V1, V2]), st.sampled_from(["water", "roads"]),
                          st.integers(0, 96)), max_size=40),
       st.integers(2, 5), st.integers(1, 12))
def test_a_timeline_answers_as_every_window_looked_at_by_brute_force(raw, threshold, hours):
    """Any arrival order, repeats by one petitioner, two matters interleaved: walking the
    timeline from the new sighting decides exactly what looking at every window decides."""
    policy = WarningPolicy(threshold=threshold, window=timedelta(hours=hours))
    # on a half-hour grid, so sightings often fall exactly on a window's edge
    arrived = [Sighting(f"phone:{k}", v, c, T + timedelta(minutes=30 * m), f"c{i}")
               for i, (k, v, c, m) in enumerate(raw)]
    timeline = Timeline()
    for i, sighting in enumerate(arrived):
        alert = check_cluster(sighting, timeline, ROSTER, policy)
        assert (alert is not None) == _oracle(sighting, arrived[:i], policy)
        assert alert is None or (sighting.case_id in alert.case_ids and alert.petitioner_count == threshold)
        timeline.add(sighting)
    assert [s.at for s in timeline] == sorted(s.at for s in arrived)


def test_a_sighting_exactly_one_window_away_is_outside_the_window():
    """Windows are half-open: a sighting a whole window before or after the new one is in no
    window with it, so it can neither complete nor pre-empt the new one's cluster."""
    policy = WarningPolicy(threshold=2, window=timedelta(hours=1))
    for far, new_at in ((T, T + timedelta(hours=1)), (T + timedelta(hours=1), T)):
        far_one = Sighting("phone:a", V1, "water", far, "a")
        between = Sighting("phone:b", V1, "water", T + timedelta(minutes=30), "b")  # {a, b} alerted
        new = Sighting("phone:x", V1, "water", new_at, "x")
        alert = check_cluster(new, Timeline([far_one, between]), ROSTER, policy)
        assert alert is not None and set(alert.case_ids) == {"b", "x"}, new_at  # {b, x}: a cluster of its own
