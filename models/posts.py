"""Posts a cadre can hold, unit kinds and whereabouts statuses, as the contract spells them."""
from __future__ import annotations

PARTY_SECRETARY = "party_secretary"
DEPUTY_SECRETARY = "deputy_secretary"
DIRECTOR = "director"
DEPUTY_DIRECTOR = "deputy_director"
MEMBER = "member"
LEADER_IN_CHARGE = "leader_in_charge"
FIRST_SECRETARY = "first_secretary"
PETITION_STAFF = "petition_staff"
OPERATOR = "operator"

POSTS = (
    PARTY_SECRETARY, DEPUTY_SECRETARY, DIRECTOR, DEPUTY_DIRECTOR, MEMBER,
    LEADER_IN_CHARGE, FIRST_SECRETARY, PETITION_STAFF, OPERATOR,
)

# Seniority inside a village's two committees: when several members share a responsibility
# the most senior one answers for it, so the matrix is deterministic.
SENIORITY = {post: rank for rank, post in enumerate(
    (PARTY_SECRETARY, DIRECTOR, DEPUTY_SECRETARY, DEPUTY_DIRECTOR, MEMBER, FIRST_SECRETARY))}

# Township posts that may approve an extension (Art. 34: "the head's approval").
LEADER_POSTS = frozenset({PARTY_SECRETARY, DEPUTY_SECRETARY, LEADER_IN_CHARGE})

TOWNSHIP, VILLAGE, GROUP = "township", "village", "group"
UNIT_KINDS = (TOWNSHIP, VILLAGE, GROUP)

ON_DUTY, VISITING, MEETING, AWAY, LEAVE = "on_duty", "visiting", "meeting", "away", "leave"
WHEREABOUTS = (ON_DUTY, VISITING, MEETING, AWAY, LEAVE)
# Visiting households or sitting in a meeting still leaves a cadre reachable by phone;
# only business trips and leave hand the work to the backup (CONTRACT routing rule 4).
ABSENT = frozenset({AWAY, LEAVE})
