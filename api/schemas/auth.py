"""Logins and tokens."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from models.access import Role


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginCreate(_Body):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class SessionPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str
    cadre_id: str | None
    expires_at: datetime


class TokenCreate(_Body):
    role: Role
    cadre_id: str | None = Field(default=None, min_length=1, max_length=64)
    days: int = Field(default=90, ge=1, le=365)
    label: str | None = Field(default=None, max_length=200)


class TokenIssued(BaseModel):
    token: str
    token_id: str


class TokenPublic(BaseModel):
    token_id: str
    role: str
    cadre_id: str | None
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class TokensPublic(BaseModel):
    items: list[TokenPublic]


class LoginAccountCreate(_Body):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(min_length=10, max_length=256)
    role: Role
    cadre_id: str | None = Field(default=None, min_length=1, max_length=64)
