"""The answer to a case action: the case as the caller now sees it."""
from __future__ import annotations

from api.acting import not_found
from api.deps import ApiServices, Caller
from api.schemas.cases import CaseDetail
from api.views import case_detail
from infra.db import case_queries, case_repo


async def case_now(svc: ApiServices, caller: Caller, case_id: str) -> CaseDetail:
    async with svc.engine.connect() as conn:
        row = await case_queries.visible_case(conn, caller.scope, case_id)
        if row is None:  # e.g. transferred out of the caller's reach
            raise not_found(case_id)
        timeline = await case_repo.timeline(conn, case_id)
    # the answer to an action never unmasks the petitioner: that takes an audited read
    return case_detail(row, svc.clock(), timeline, role="")
