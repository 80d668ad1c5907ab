"""What a petitioner sees by tracking code: status, dates and replies; nobody's personal data."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class TrackedReply(BaseModel):
    at: datetime
    text: str


class TrackedCase(BaseModel):
    tracking_code: str
    status: str
    category: str
    received_at: datetime
    updated_at: datetime
    due_at: datetime | None
    due_stage: str | None = None
    closed: bool
    replies: list[TrackedReply]
