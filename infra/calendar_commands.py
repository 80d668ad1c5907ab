"""`minqing calendar import FILE` and `minqing calendar show YEAR` (CONTRACT "Calendar")."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def cmd_calendar_import(args: argparse.Namespace) -> None:
    from infra.cli import CLI_ACTOR, _run_service
    from infra.services.calendar import ImportCalendar
    from infra.services.errors import ServiceError

    try:
        document = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SystemExit(f"minqing: {args.file}: cannot read a JSON schedule: {error}") from None
    try:
        found = _run_service(lambda app: app.handle(ImportCalendar(CLI_ACTOR, document)))
    except ServiceError as error:
        raise SystemExit(f"minqing: schedule refused: {error.message}") from None
    state = "provisional" if found["provisional"] else "official"
    print(f"minqing: {found['kind']} schedule for {found['year']} imported ({state}); "
          f"running deadlines of {found['recomputed_cases']} open case(s) recomputed")


def cmd_calendar_show(args: argparse.Namespace) -> None:
    from infra.cli import _run_service
    from infra.services.calendar import ShowCalendar

    found: dict[str, Any] = _run_service(lambda app: app.handle(ShowCalendar(args.year)))
    state = "PROVISIONAL (no official schedule: counted by the law alone)" if found["provisional"] else "official"
    print(f"{found['year']}: {state}")
    for day in found["days"]:
        kind = "workday" if day["working"] else "holiday"
        print(f"  {day['date']}  {kind:8} {day['source']:9} {day.get('name', '')}")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    calendar = sub.add_parser("calendar", help="the working-day calendar").add_subparsers(
        dest="calendar_command", required=True)
    importer = calendar.add_parser("import", help="import an official or local holiday schedule (JSON)")
    importer.add_argument("file")
    importer.set_defaults(func=cmd_calendar_import)
    show = calendar.add_parser("show", help="a year's non-default days and where they came from")
    show.add_argument("year", type=int)
    show.set_defaults(func=cmd_calendar_show)
