"""No index is a leading prefix of another one with the same predicate (issue 12): no update
of a case is HOT, so each index takes an entry at every write of a row, and one that another
index's prefix serves is paid for by every write for nothing (migration 0016)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Index

from infra.db.tables import metadata


def _shape(index: Index) -> tuple[tuple[str, ...], str, str]:
    options: dict[str, Any] = index.dialect_options["postgresql"]
    where = options.get("where")
    return (tuple(str(expression) for expression in index.expressions), str(where) if where is not None else "",
            str(options.get("using") or "btree"))


def test_no_index_is_a_prefix_of_another_with_the_same_predicate() -> None:
    redundant = []
    for table in metadata.tables.values():
        shapes = [(index.name, index.unique, _shape(index)) for index in table.indexes]
        for name, unique, (columns, where, using) in shapes:
            if unique:  # a constraint, not only a path
                continue
            for other, _, (longer, other_where, other_using) in shapes:
                if other != name and (where, using) == (other_where, other_using) and len(longer) > len(columns) \
                        and longer[:len(columns)] == columns:
                    redundant.append(f"{table.name}.{name} is a prefix of {other}")
    assert redundant == []
