"""Every text is in both catalogues, and every key the pages use exists."""
from __future__ import annotations

import json
import re
from api.web import HERE
from api.web.i18n import catalogue

KEY = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_.]+)["']""")


def _raw(lang: str) -> dict[str, str]:
    return json.loads((HERE / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_both_catalogues_have_the_same_keys_and_no_empty_text() -> None:
    zh, en = _raw("zh"), _raw("en")
    assert set(zh) == set(en)
    assert all(text.strip() for text in [*zh.values(), *en.values()])


def test_placeholders_agree_between_languages() -> None:
    zh, en = _raw("zh"), _raw("en")
    for key in zh:
        wanted, given = set(re.findall(r"{(\w+)}", zh[key])), set(re.findall(r"{(\w+)}", en[key]))
        # a reason's English text is the domain's template; the Chinese may leave out details
        assert wanted <= given if key.startswith("reason.") else wanted == given, key


def test_every_reason_of_the_domain_reads_in_both_languages() -> None:
    from models.reasons import TEMPLATES

    zh, en = _raw("zh"), _raw("en")
    assert sorted(code for code in TEMPLATES if f"reason.{code}" not in zh or f"reason.{code}" not in en) == []
    for code, template in TEMPLATES.items():
        params = set(re.findall(r"{(\w+)(?:![a-z])?}", template))
        assert set(re.findall(r"{(\w+)}", en[f"reason.{code}"])) <= params, code


def test_every_literal_key_in_templates_and_scripts_exists() -> None:
    used: set[str] = set()
    for path in [*(HERE / "templates").glob("*.html"), *(HERE / "static" / "js").glob("*.js"), *HERE.glob("*.py")]:
        used |= {k for k in KEY.findall(path.read_text(encoding="utf-8")) if not k.endswith(".")}
    missing = sorted(k for k in used if k not in catalogue("zh"))
    assert missing == []


def test_every_status_and_category_of_the_domain_has_a_label() -> None:
    from models.categories import DEFAULT_CATALOGUE
    from models.lifecycle import CaseStatus

    texts = catalogue("en")
    assert all(f"status.{s.value}" in texts for s in CaseStatus)
    assert all(f"category.{c.code}" in texts for c in DEFAULT_CATALOGUE.categories)


def test_no_cjk_text_is_hard_coded_in_scripts_or_templates() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    comments = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
    offenders = [p.name for p in [*(HERE / "templates").glob("*.html"), *(HERE / "static" / "js").glob("*.js")]
                 if cjk.search(comments.sub("", p.read_text(encoding="utf-8")))]
    assert offenders == []


SERVICE_CODE = re.compile(r"""\bcode\s*=\s*["']([a-z][a-z_0-9]*\.[a-z_0-9.]+)["']""")


def test_every_refusal_code_of_the_service_layer_and_the_edges_reads_in_both_languages() -> None:
    """Codes raised outside models/reasons.py (`submit.not_yours`, `extension.pending_exists`,
    `access.not_party` …) reach the screen too: each needs its catalogue entry."""
    root = HERE.parents[1]
    codes = {code for folder in ("infra", "api", "models") for path in (root / folder).rglob("*.py")
             for code in SERVICE_CODE.findall(path.read_text(encoding="utf-8"))}
    assert {"submit.not_yours", "extension.pending_exists", "access.not_party"} <= codes  # the scan finds them
    zh, en = _raw("zh"), _raw("en")
    assert sorted(c for c in codes if f"reason.{c}" not in zh or f"reason.{c}" not in en) == []
