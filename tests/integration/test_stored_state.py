"""The repeat check reads a case's final re-review from its stored state, whichever codec
wrote it: a petitioner whose matter concluded its re-review is refused either way."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from bench.profile_intake import first_codec_state
from infra.case_opening import new_tracking_code
from infra.db import matter_repo
from infra.db.case_counts import count_inserted
from infra.db.case_rows import case_columns
from infra.db.tables import cases
from models.case import Case
from models.lifecycle import CaseStatus
from models.petitioners import Petitioner

pytestmark = pytest.mark.integration
SHANGHAI = timezone(timedelta(hours=8))
VILLAGE = "330782101202"


def _row(case: Case, phone: str, state: dict[str, Any]) -> dict[str, Any]:
    return {**case_columns(case), "state": state, "tracking_code": new_tracking_code(), "source_topic": "hotline.calls",
            "summary": "征地补偿款分配不公", "routing": {}, "petitioner": {"phone": phone}, "petitioner_phone": phone,
            "petitioner_id_number": None, "accused": None, "event": {}, "created_at": case.occurred_at}


@pytest.mark.parametrize("codec", ["msgspec", "first"])
async def test_a_concluded_re_review_is_read_from_either_codecs_state(engine: Any, codec: str) -> None:
    opened = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
    final = opened + timedelta(days=95, hours=3)
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    case = Case(str(uuid.uuid4()), "hotline", f"final-{uuid.uuid4()}", VILLAGE, "land", "complaint", "normal", opened,
                {"handling": opened + timedelta(days=21)}, status=CaseStatus.RE_REVIEWED, re_review_decided_at=final)
    row = _row(case, phone, first_codec_state(case) if codec == "first" else case_columns(case)["state"])
    async with engine.begin() as conn:
        await conn.execute(cases.insert().values(**row))
        await count_inserted(conn, [row])
        found = await matter_repo.prior_cases(conn, [(VILLAGE, "land")], [Petitioner(phone)])

    [prior] = found[(VILLAGE, "land")]
    assert (prior.case_id, prior.status, prior.re_reviewed_at) == (case.case_id, CaseStatus.RE_REVIEWED, final)
