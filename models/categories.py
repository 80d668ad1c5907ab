"""The category catalogue: what a matter is about, and how long handling may take by default.

Data, not code: a deployment overrides labels or limits with `Catalogue.with_overrides`.
The default limit applies when the event carries no `kind` (consult/help/…): the 12345
practice of five working days, longer for matters that need fieldwork or other units.
A limit an admin set (or a category an admin added) *governs*: it also tightens the limit
of a known kind (see `deadlines.handling_limit`: the tighter wins).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from models.errors import DomainError

OTHER = "other"


@dataclass(frozen=True)
class Category:
    code: str
    label: str  # Chinese label shown to cadres and petitioners
    handling_working_days: int


_DEFAULTS = (
    Category("water", "饮水用水", 5),
    Category("land", "土地承包与征地", 15),
    Category("roads", "道路交通", 10),
    Category("social_security", "社会保障", 10),
    Category("medical", "医疗卫生", 5),
    Category("elderly", "养老助老", 5),
    Category("dispute", "矛盾纠纷", 10),
    Category("environment", "环境卫生", 10),
    Category("safety", "安全隐患", 2),
    Category("village_affairs", "村务公开", 10),
    Category(OTHER, "其他", 5),
)


@dataclass(frozen=True)
class Catalogue:
    categories: tuple[Category, ...]
    governing: frozenset[str] = frozenset()  # codes whose limit an admin set or added

    def governs(self, code: str) -> bool:
        return code in self.governing

    def codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.categories)

    def get(self, code: str | None) -> Category:
        """Absent category means `other`, as the contract says."""
        wanted = code or OTHER
        for category in self.categories:
            if category.code == wanted:
                return category
        raise DomainError.of("category.unknown", category=wanted, known=", ".join(sorted(self.codes())))

    def with_overrides(self, overrides: Mapping[str, Mapping[str, object]]) -> Catalogue:
        """Change label/limit of known categories or add new ones: {code: {label, handling_working_days}}."""
        by_code = {c.code: c for c in self.categories}
        governing = set(self.governing)
        for code, fields in overrides.items():
            base = by_code.get(code, Category(code, code, by_code[OTHER].handling_working_days))
            by_code[code] = replace(base, **dict(fields))  # type: ignore[arg-type]
            if code not in self.codes() or "handling_working_days" in fields:
                governing.add(code)
        return Catalogue(tuple(by_code.values()), frozenset(governing))


def catalogue_of(categories: Iterable[Category]) -> Catalogue:
    return Catalogue(tuple(categories))


DEFAULT_CATALOGUE = Catalogue(_DEFAULTS)
