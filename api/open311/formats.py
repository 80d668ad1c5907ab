"""GeoReport v2 answers in `.json` or `.xml` (XML is the spec's required format), and its
error format: a list of {code, description} / <errors><error>…</error></errors>."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from fastapi.responses import JSONResponse, Response

FORMATS = ("json", "xml")
# root element and item element of each kind of answer
ROOTS = {"services": ("services", "service"), "requests": ("service_requests", "request"),
         "errors": ("errors", "error")}
_SINGULAR = {"attributes": "attribute", "values": "value", "keywords": "keyword", "endpoints": "endpoint",
             "formats": "format"}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _fill(ET.SubElement(element, key), inner)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for inner in value:
            _fill(ET.SubElement(element, _SINGULAR.get(element.tag, "item")), inner)
    elif value is not None:
        element.text = _text(value)


def xml_bytes(root: str, item: str | None, body: Any) -> bytes:
    element = ET.Element(root)
    if item is None:
        _fill(element, body)
    else:
        for entry in body:
            _fill(ET.SubElement(element, item), entry)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def render(fmt: str, kind: str, body: Any, status_code: int = 200) -> Response:
    """`kind`: services | requests | errors (lists), or a root element name for one object."""
    if fmt == "json":
        return JSONResponse(_jsonable(body), status_code=status_code)
    root, item = ROOTS.get(kind, (kind, None))
    return Response(xml_bytes(root, item, body), status_code=status_code, media_type="text/xml; charset=utf-8")


def format_of(path: str) -> str:
    """The format an answer on this path should have; XML when the path names none we know."""
    tail = path.rstrip("/").rsplit("/", 1)[-1]
    ext = tail.rsplit(".", 1)[-1].lower() if "." in tail else ""
    return ext if ext in FORMATS else "xml"


def error_response(path: str, status_code: int, description: str) -> Response:
    return render(format_of(path), "errors", [{"code": status_code, "description": description}], status_code)
