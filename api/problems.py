"""A 422 raised by a handler has the same shape as FastAPI's own validation errors (the
OpenAPI schema promises one shape), naming the field and the reason."""
from __future__ import annotations

from fastapi import HTTPException, status


def unprocessable(field: str, reason: str, where: str = "body") -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                         [{"loc": [where, *field.split(".")], "msg": reason, "type": "value_error", "field": field}])
