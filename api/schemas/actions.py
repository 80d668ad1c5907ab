"""Request bodies of case actions. Unknown fields are refused: status, owner, deadlines and
escalation are the domain's to change, never the client's."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

Text = Field(min_length=1, max_length=4000)
CadreId = Field(min_length=1, max_length=64)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Empty(_Body):
    pass


class NoteCreate(_Body):
    note: str = Text


class ContactCreate(_Body):
    channel: Literal["phone", "sms", "wechat", "in_person", "visit"] = "phone"
    note: str = Text


class ReplyCreate(_Body):
    text: str = Text


class ExtensionRequestCreate(_Body):
    days: int = Field(ge=1, le=30, description="Art. 34: at most 30 days")
    reason: str = Text


class ObjectionCreate(_Body):
    reason: str = Text


class DelegateCreate(_Body):
    handler_cadre_id: str = CadreId


class CallbackCreate(_Body):
    result: Literal["satisfied", "unsatisfied", "unreachable"]
    problem_solved: bool | None = Field(default=None, description="asked separately from satisfaction")
    note: str = Field(default="", max_length=4000, description="required when unreachable: why")


class ExtensionDecision(_Body):
    approve: bool
    note: str = Field(default="", max_length=4000, description="required when refusing: the requester hears why")

    @model_validator(mode="after")
    def _refusal_says_why(self) -> ExtensionDecision:
        if not self.approve and not self.note.strip():
            raise PydanticCustomError("extension.refusal_reason", "a refusal needs its reason in `note`")
        return self


class ObjectionDecision(_Body):
    decision: Literal["transfer", "overrule"]
    reason: str = Text
    owner_cadre_id: str | None = Field(default=None, min_length=1, max_length=64)
    handler_cadre_id: str | None = Field(default=None, min_length=1, max_length=64)



class DeclineCreate(_Body):
    """不予受理 (Art. 23): why, and the written notice given to the petitioner."""
    reason: str = Text
    notice: str = Text


class ReasonCreate(_Body):
    reason: str = Text


class DecisionCreate(_Body):
    decision: str = Text
