"""Which database schemas a process may work on."""
from __future__ import annotations

from pathlib import Path

from infra.schema_version import code_lineage, judge

LINEAGE = ("0004", "0003", "0002", "0001")


def test_the_head_is_ready() -> None:
    state = judge(["0004"], LINEAGE)
    assert state.ready and not state.behind and state.reason == ""


def test_an_older_schema_is_behind_and_says_what_to_run() -> None:
    state = judge(["0003"], LINEAGE)
    assert state.behind
    assert state.reason == "the database schema is at 0003 but this code needs 0004: run `minqing migrate`"


def test_a_database_never_migrated_is_behind() -> None:
    state = judge([], LINEAGE)
    assert state.behind and state.database is None and "minqing migrate" in state.reason


def test_a_newer_schema_from_a_rolling_upgrade_is_accepted_with_a_note() -> None:
    state = judge(["0005_notifications"], LINEAGE)
    assert state.ready and "newer than this code" in state.reason


def test_the_code_lineage_is_read_from_the_migrations_newest_first() -> None:
    versions = Path(__file__).resolve().parents[3] / "infra" / "migrations" / "versions"
    files = sorted(p.name for p in versions.glob("0*.py"))
    lineage = code_lineage()
    assert len(lineage) == len(files)
    assert lineage[-1] == "0001" and files[0].startswith("0001")
    assert files[-1].startswith(lineage[0].split("_")[0])
