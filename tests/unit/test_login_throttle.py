"""Throttling logins: the address pays for its guesses, a stranger never locks a leader out
of their usual desk, and a throttled attempt says when to come back."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from models.login_throttle import Failures, RecentAttempts, ThrottlePolicy, throttle

NOW = datetime(2026, 3, 3, 2, 0, tzinfo=timezone.utc)
POLICY = ThrottlePolicy()
NONE = Failures()


def _attempts(address: int = 0, user_here: int = 0, user: int = 0, known: bool = False,
              earliest: datetime = NOW - timedelta(minutes=5)) -> RecentAttempts:
    def failures(n: int) -> Failures:
        return Failures(n, earliest if n else None)
    return RecentAttempts(failures(address), failures(user_here), failures(user), known)


def test_below_every_limit_the_password_is_checked() -> None:
    assert throttle(_attempts(address=POLICY.per_address - 1, user_here=POLICY.per_user_at_address - 1,
                              user=POLICY.per_user - 1), NOW) is None


def test_an_address_that_guessed_too_often_waits_whatever_name_it_tries() -> None:
    refused = throttle(_attempts(address=POLICY.per_address), NOW)
    assert refused is not None and "address" in refused.reason
    assert refused.retry_after == int((POLICY.window - timedelta(minutes=5)).total_seconds()) + 1


def test_one_name_from_one_address_is_throttled_sooner() -> None:
    assert POLICY.per_user_at_address < POLICY.per_address
    refused = throttle(_attempts(address=POLICY.per_user_at_address, user_here=POLICY.per_user_at_address), NOW)
    assert refused is not None and "this user from this address" in refused.reason


def test_guesses_from_everywhere_never_keep_the_leader_from_a_known_desk() -> None:
    flood = POLICY.per_user * 10
    assert throttle(_attempts(user=flood, known=True), NOW) is None
    stranger = throttle(_attempts(user=flood, known=False), NOW)
    assert stranger is not None and "recently" in stranger.reason


def test_retry_after_is_at_least_a_second() -> None:
    long_ago = NOW - POLICY.window
    refused = throttle(_attempts(address=POLICY.per_address, earliest=long_ago), NOW)
    assert refused is not None and refused.retry_after >= 1
