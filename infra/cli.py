"""The `minqing` command line (CONTRACT "Command line"). The composition root:
the only module that wires `streams` and `api` onto the infrastructure."""
from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pydantic import ValidationError

from infra.auth.commands import add_parsers as add_auth_parsers
from infra.calendar_commands import add_parsers as add_calendar_parsers
from infra.ops_commands import add_parsers as add_ops_parsers
from infra.notify.commands import add_parsers as add_notify_parsers
from infra.safeguards import add_parsers as add_safeguard_parsers
from infra.settings import Settings
from infra.tokens import CONSOLE as CLI_ACTOR  # the command line acts as an admin; the audit log says so


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        raise SystemExit(f"minqing: invalid settings: {error}") from None


def cmd_migrate(args: argparse.Namespace) -> None:
    from infra.bootstrap import endpoints
    from infra.db.migrate import upgrade_to_head

    with endpoints(_settings()) as ep:
        upgrade_to_head(ep.migration_url)
    print("minqing: database schema is up to date")


def cmd_worker(args: argparse.Namespace) -> None:
    import faust

    from infra.bootstrap import bootstrap, endpoints
    from infra.observability import start_process
    from infra.outbox_relay import OutboxRelay
    from infra.schema_version import wait_for_schema_at
    from infra.topics import ensure_topics
    from streams.app import WorkerServices, create_app

    settings = _settings()
    json_logs = start_process(settings, "worker", args.loglevel)
    with endpoints(settings) as ep:
        # before joining the group: a worker that cannot store events must not take partitions
        asyncio.run(wait_for_schema_at(ep.database_url, poll_seconds=settings.schema_poll_seconds,
                                       component="worker"))
        asyncio.run(ensure_topics(settings, ep.kafka_url))
        system = bootstrap(ep.database_url, topic_prefix=settings.topic_prefix)
        services = WorkerServices(minqing=system.app, clock=system.clock,
                                  relay=OutboxRelay(system.engine, settings, ep.kafka_url, system.clock))
        app = create_app(settings, ep.kafka_url, services)
        # our logging (JSON lines or text, with ids) stays; faust's banner only in text mode
        worker = faust.Worker(app, loglevel=args.loglevel, override_logging=False, quiet=json_logs)
        # what is built by now (modules, the roster, the app: ~360k objects) lives as long as the
        # process: kept out of the collector's full passes, which walked it all while the event
        # loop waited (0.1–0.7 s each on a loaded machine during a burst)
        gc.collect()
        gc.freeze()
        worker.execute_from_commandline()


def cmd_api(args: argparse.Namespace) -> None:
    import uvicorn

    from api.app import create_api
    from infra.bootstrap import bootstrap, endpoints, health_probe
    from infra.observability import start_process

    settings = _settings()
    start_process(settings, "api", args.loglevel, own_metrics_port=False)  # /metrics is on the API port
    with endpoints(settings) as ep:
        system = bootstrap(ep.database_url, topic_prefix=settings.topic_prefix)
        app = create_api(system.app, health_probe(system, ep.kafka_url, settings))
        # log_config=None: keep our handlers; access_log=False: our own access log redacts queries
        uvicorn.run(app, host=settings.api_host, port=settings.api_port, log_level=args.loglevel.lower(),
                    log_config=None, access_log=False)


def cmd_up(args: argparse.Namespace) -> None:
    from infra.bootstrap import endpoints
    from infra.db.migrate import upgrade_to_head
    from infra.logs import configure_logging
    from infra.ops_commands import forget_api_url, live_status, remember_api_url
    from infra.scrape import clear_directory
    from infra.setup import prepare_system
    from infra.supervisor import Supervisor
    from infra.system_status import safe_url

    settings = _settings()
    # the terminal shows the status; everything the libraries say goes to files under the data dir
    logs = settings.data_dir.resolve() / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    own_log = open(logs / "up.log", "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run
    configure_logging("up", log_format=settings.log_format if settings.log_format != "auto" else "json",
                      level=args.loglevel, stream=own_log)
    metrics_dir = (settings.metrics_dir or settings.data_dir / "metrics").resolve()
    with endpoints(settings, attach=False) as ep:
        upgrade_to_head(ep.migration_url)
        logins = asyncio.run(prepare_system(settings, ep, demo=args.demo))
        if args.demo:
            from infra.bootstrap import utc_now
            from infra.demo.logins import DEMO_PASSWORD, set_demo_passwords_at
            from infra.demo.township import demo_roster

            demo_logins = asyncio.run(set_demo_passwords_at(ep.database_url, demo_roster(), utc_now()))
        url = f"http://{settings.api_host}:{settings.api_port}"
        print(f"\nMinqing is up: {url}   (web UI: {url}/ui/, OpenAPI: {url}/docs, health: {url}/healthz)")
        if args.demo and demo_logins:
            print(f"  web logins: any demo cadre id with the password {DEMO_PASSWORD} "
                  "(t-op1 operator, v1-dir village director, t-sec party secretary)")
        print(f"  broker:   {safe_url(ep.kafka_url)}\n  database: {safe_url(ep.database_url)}")
        print(f"  logs:     {logs}   metrics: {url}/metrics (admin token)   status: minqing status")
        for role, token in logins.items():
            print(f"  {role} token: {token}")
        print("Press Ctrl-C to stop.\n", flush=True)
        clear_directory(metrics_dir)  # one machine, one sum: every child writes its metrics here
        remember_api_url(settings.data_dir, url)
        live = live_status(settings, ep, url)
        try:
            Supervisor(ep, {"worker": ["worker"], "api": ["api"], "notify": ["notify"]}, log_dir=logs,
                       env={"MINQING_METRICS_DIR": str(metrics_dir)}, metrics_dir=metrics_dir).run(on_start=live.start)
        finally:
            live.stop()
            forget_api_url(settings.data_dir)
    own_log.close()
    print("minqing: stopped")


def cmd_roster_import(args: argparse.Namespace) -> None:
    from infra.roster_import import RosterFileError, read_roster_file
    from infra.services.administration import ImportRoster
    from infra.services.errors import ServiceError

    try:
        document = read_roster_file(Path(args.file))
    except RosterFileError as error:
        raise SystemExit(f"minqing: {error}") from None
    try:
        roster = _run_service(lambda app: app.handle(ImportRoster(CLI_ACTOR, document, str(args.file))))
    except ServiceError as error:
        raise SystemExit(f"minqing: roster refused:\n{error.message}") from None
    print(f"minqing: imported {len(roster.units)} units and {len(roster.cadres)} cadres")


def cmd_token_create(args: argparse.Namespace) -> None:
    from infra.bootstrap import Clock, endpoints
    from infra.db.engine import create_engine
    from infra.tokens import check_lifetime, create_token

    try:
        check_lifetime(timedelta(days=args.days))
    except ValueError as error:
        raise SystemExit(f"minqing: {error}") from None
    with endpoints(_settings()) as ep:
        async def run() -> str:
            engine = create_engine(ep.database_url)
            try:
                async with engine.begin() as conn:
                    return await create_token(conn, role=args.role, cadre_id=args.cadre, now=Clock()(),
                                              ttl=timedelta(days=args.days), label=args.label,
                                              issued_by=CLI_ACTOR)
            finally:
                await engine.dispose()
        try:
            print(asyncio.run(run()))
        except ValueError as error:
            raise SystemExit(f"minqing: {error}") from None


def cmd_simulate(args: argparse.Namespace) -> None:
    from infra.bootstrap import endpoints
    from infra.demo import simulate
    from infra.producer import produce_events
    from infra.setup import current_roster_document

    settings = _settings()
    seed = args.seed if args.seed is not None else int(datetime.now(timezone.utc).timestamp())
    now = datetime.now(timezone(timedelta(hours=8)))
    start = now - timedelta(hours=1)
    with endpoints(settings) as ep:
        roster = asyncio.run(current_roster_document(ep))
        if args.mixed:
            events = list(simulate.mixed_events(roster, args.count, seed=seed, start=start))
        else:
            events = [("hotline.calls", e) for e in simulate.hotline_calls(roster, args.count, seed=seed, start=start)]
        events = simulate.ending_by(events, now)  # nothing from the future: intake would refuse it
        sent = asyncio.run(produce_events(settings, ep.kafka_url, events))
    print(f"minqing: produced {sent} events (seed {seed})")


def _run_service(work):  # type: ignore[no-untyped-def]
    """Run `work(app)` against the configured (or running embedded) system's service layer."""
    from infra.bootstrap import bootstrap, endpoints

    with endpoints(_settings()) as ep:
        async def run():  # type: ignore[no-untyped-def]
            system = bootstrap(ep.database_url, pool_size=2)
            try:
                return await work(system.app)
            finally:
                await system.dispose()
        return asyncio.run(run())


def cmd_dlq_list(args: argparse.Namespace) -> None:
    from infra.services.dead_letters import ListDeadLetters

    letters = _run_service(lambda app: app.handle(ListDeadLetters(CLI_ACTOR, args.topic, args.all, args.limit)))
    for letter in letters:
        print(describe_dead_letter(letter))
    print(f"minqing: {len(letters)} dead letter(s){'' if args.all else ' pending'}")


def describe_dead_letter(letter: dict) -> str:  # type: ignore[type-arg]
    state = f"replayed {letter['replayed_at']:%Y-%m-%d %H:%M}" if letter["replayed_at"] else "pending"
    preview = (letter["value"] or b"")[:80].decode("utf-8", errors="replace").replace("\n", " ")
    return (f"#{letter['id']} {letter['topic']}[{letter['partition']}]@{letter['offset']} "
            f"{letter['recorded_at']:%Y-%m-%d %H:%M:%S} {state}\n    error: {letter['error']}\n    value: {preview}")


def cmd_dlq_replay(args: argparse.Namespace) -> None:
    from infra.services.dead_letters import ReplayDeadLetters

    if not (args.ids or args.topic or args.all):
        raise SystemExit("minqing: say which dead letters to replay: --id N [N ...], --topic TOPIC or --all")
    sent = _run_service(lambda app: app.handle(ReplayDeadLetters(CLI_ACTOR, args.topic, tuple(args.ids or ()))))
    print(f"minqing: replayed {sent} dead letter(s); a worker's relay sends them and takes them in again")


def cmd_schemas(args: argparse.Namespace) -> None:
    from infra.schemas import write_event_schemas

    for path in write_event_schemas(Path(args.out)):
        print(path)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="minqing", description="Minqing 民情: petitions and mass affairs")
    parser.add_argument("--loglevel", default="INFO")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start broker, database, migrations, worker and API on this machine")
    up.add_argument("--demo", action="store_true", help="load the demo township")
    up.set_defaults(func=cmd_up)
    sub.add_parser("worker", help="run a stream worker").set_defaults(func=cmd_worker)
    sub.add_parser("api", help="serve the HTTP API").set_defaults(func=cmd_api)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    roster = sub.add_parser("roster", help="roster commands").add_subparsers(dest="roster_command", required=True)
    roster_import = roster.add_parser("import", help="import a roster file (JSON, CSV or XLSX)")
    roster_import.add_argument("file")
    roster_import.set_defaults(func=cmd_roster_import)
    token = sub.add_parser("token", help="token commands").add_subparsers(dest="token_command", required=True)
    create = token.add_parser("create", help="print a new bearer token")
    create.add_argument("--role", required=True)
    create.add_argument("--cadre", default=None)
    create.add_argument("--days", type=int, default=90, help="lifetime in days (1 to 365)")
    create.add_argument("--label", default=None)
    create.set_defaults(func=cmd_token_create)
    add_auth_parsers(sub, token)
    add_ops_parsers(sub)
    add_notify_parsers(sub)
    add_calendar_parsers(sub)
    add_safeguard_parsers(sub)
    simulate = sub.add_parser("simulate", help="produce realistic events for the current roster")
    simulate.add_argument("--count", type=int, default=100)
    simulate.add_argument("--seed", type=int, default=None)
    simulate.add_argument("--mixed", action="store_true", help="all four sources, not only hotline calls")
    simulate.set_defaults(func=cmd_simulate)
    dlq = sub.add_parser("dlq", help="dead letters").add_subparsers(dest="dlq_command", required=True)
    dlq_list = dlq.add_parser("list", help="show refused events and why")
    dlq_list.add_argument("--topic", default=None)
    dlq_list.add_argument("--all", action="store_true", help="include already replayed ones")
    dlq_list.add_argument("--limit", type=int, default=100)
    dlq_list.set_defaults(func=cmd_dlq_list)
    dlq_replay = dlq.add_parser("replay", help="send pending dead letters through intake again")
    dlq_replay.add_argument("--id", dest="ids", type=int, nargs="+", default=None)
    dlq_replay.add_argument("--topic", default=None)
    dlq_replay.add_argument("--all", action="store_true")
    dlq_replay.set_defaults(func=cmd_dlq_replay)
    schemas = sub.add_parser("schemas", help="write the input events' JSON Schemas")
    schemas.add_argument("--out", default="docs/schemas")
    schemas.set_defaults(func=cmd_schemas)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main(sys.argv[1:])
