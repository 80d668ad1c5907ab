"""The web UI decides what to offer from the capabilities the server sends, never from role
names of its own: no script compares a role, no template shows an element by role."""
from __future__ import annotations

import re

from api.web import HERE

ROLE_TEST = re.compile(r"""\.role\s*[!=]==?|===?\s*\w+\.role\b|indexOf\(\s*\w+\.role\s*\)|\brole\s*===|ROLES\b""")


def test_no_script_decides_by_a_role_name() -> None:
    offenders = {path.name: ROLE_TEST.findall(path.read_text(encoding="utf-8"))
                 for path in (HERE / "static" / "js").glob("*.js")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_no_template_shows_an_element_by_role() -> None:
    offenders = [path.name for path in (HERE / "templates").glob("*.html") if "data-roles" in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_every_capability_a_page_needs_is_one_the_domain_knows() -> None:
    from models.access import Capability

    known = {c.value for c in Capability}
    needs = set()
    for path in (HERE / "templates").glob("*.html"):
        for listed in re.findall(r'data-needs="([^"]+)"', path.read_text(encoding="utf-8")):
            needs |= set(listed.split())
    for path in (HERE / "static" / "js").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        needs |= set(re.findall(r"""MQ\.can\(\s*["'](\w+)["']""", text))
        for listed in re.findall(r"requireLogin\(\[([^\]]*)\]\)", text):
            needs |= set(re.findall(r"""["'](\w+)["']""", listed))
    assert needs and needs <= known, sorted(needs - known)
