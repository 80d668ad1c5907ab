"""When a password login is refused before the password is even checked.

Locking an account after N failures lets anyone lock a leader out by typing their name
wrongly N times. So no account is ever locked; attempts are throttled instead:

- by address: one address gets `per_address` failures in the window, whatever names it
  tries, then waits — guessing from one machine is slow, and it is the address that pays;
- by user at an address: `per_user_at_address` failures for one name from one address (since
  that name last logged in from there) and that address waits for that name;
- by user everywhere: after `per_user` failures for one name from all addresses together (a
  distributed guess), only addresses that logged that name in recently get through until
  the window passes. The leader at their usual desk is never kept out by strangers.

A throttled attempt is refused whether the password is right or not: otherwise the refusal
would tell a guesser when they are right.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=15)
    per_address: int = 20
    per_user_at_address: int = 5
    per_user: int = 50
    known_address_for: timedelta = timedelta(days=30)


@dataclass(frozen=True)
class Failures:
    """Failed attempts within the window, and when the earliest of them was."""
    count: int = 0
    earliest: datetime | None = None


@dataclass(frozen=True)
class RecentAttempts:
    from_address: Failures
    user_from_address: Failures  # since that user last logged in from this address
    user_everywhere: Failures
    address_known_for_user: bool  # logged this user in within `known_address_for`


@dataclass(frozen=True)
class Throttled:
    reason: str
    retry_after: int  # seconds


def throttle(attempts: RecentAttempts, now: datetime, policy: ThrottlePolicy = ThrottlePolicy()) -> Throttled | None:
    """None: go ahead and check the password. Otherwise why not, and for how long."""
    if attempts.from_address.count >= policy.per_address:
        return Throttled("too many failed logins from this address", _wait(attempts.from_address, now, policy))
    if attempts.user_from_address.count >= policy.per_user_at_address:
        return Throttled("too many failed logins for this user from this address",
                         _wait(attempts.user_from_address, now, policy))
    if attempts.user_everywhere.count >= policy.per_user and not attempts.address_known_for_user:
        return Throttled("too many failed logins for this user: only addresses it logged in from recently "
                         "get through for now", _wait(attempts.user_everywhere, now, policy))
    return None


def _wait(failures: Failures, now: datetime, policy: ThrottlePolicy) -> int:
    frees_at = (failures.earliest or now) + policy.window
    return max(1, int((frees_at - now).total_seconds()) + 1)
