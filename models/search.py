"""What staff type into a search box, as terms: a tracking code read out with spaces or in
lower case, a phone number in any spelling, a name, or words of what the petitioner said.
A case matches a query when it matches every term (by any of its facets)."""
from __future__ import annotations

from dataclasses import dataclass

from models.petitioners import normalise_phone

MAX_TERMS = 5


@dataclass(frozen=True)
class Term:
    text: str              # as typed (a word of the summary or details, or a name)
    tracking_code: str     # the same, as a tracking code would be written
    phone: str | None      # the same, as a phone number (None: not one)


def tracking_code_of(text: str) -> str:
    """`ab3k 7mq2` and `AB3K-7MQ2` are the same code."""
    return "".join(ch for ch in text if ch.isalnum()).upper()


def terms(query: str) -> tuple[Term, ...]:
    words = [w for w in query.replace("，", " ").replace(",", " ").split() if w][:MAX_TERMS]
    if len(words) > 1 and len(tracking_code_of(query)) == 10 and all(len(w) <= 5 for w in words):
        words = [query]  # a tracking code read out in groups
    found = []
    for word in words:
        digits = normalise_phone(word)
        found.append(Term(word, tracking_code_of(word), digits if len(digits) >= 7 and digits.isdigit() else None))
    return tuple(found)


def matches(term: Term, *, tracking_code: str, phone: str | None, name: str | None, summary: str,
            details: str | None) -> bool:
    """The one definition of a match; `infra.db.case_queries` writes the same in SQL."""
    needle = term.text.casefold()
    return (tracking_code == term.tracking_code or (term.phone is not None and phone == term.phone)
            or (name is not None and name == term.text) or needle in summary.casefold()
            or (details is not None and needle in details.casefold()))
