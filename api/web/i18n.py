"""Message catalogues (zh, en): every text the UI shows lives in `i18n/<lang>.json`."""
from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

from fastapi import Request

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_COOKIE = "minqing_lang"
_DIR = Path(__file__).resolve().parent / "i18n"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue of `lang`, with the default language filling any missing key."""
    texts: dict[str, str] = json.loads((_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    if lang != DEFAULT_LANGUAGE:
        return {**catalogue(DEFAULT_LANGUAGE), **texts}
    return texts


def language_of(request: Request) -> str:
    """`?lang=` first, then the cookie the language switch sets; Chinese by default."""
    wanted = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE) or DEFAULT_LANGUAGE
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def translator(lang: str) -> Callable[..., str]:
    texts = catalogue(lang)

    def t(key: str, **values: object) -> str:
        text = texts.get(key, key)
        return text.format(**values) if values else text
    return t
