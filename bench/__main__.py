"""`python -m bench NAME [--smoke]`: ingest, naive, escalation, latency, api, reads, district, burst, steady, profile, retention."""
from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Minqing benchmarks (print figures)")
    parser.add_argument("name", choices=["ingest", "naive", "escalation", "latency", "api", "reads", "district", "burst", "steady", "profile", "retention"])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: proves it runs (CI), keeps no figures")
    parser.add_argument("--events", type=int, default=None)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--rate", type=float, default=1000.0, help="latency: events per second")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--requests", default="500", help="api: requests per second offered, one run per rate (500,100)")
    parser.add_argument("--ingest", type=float, default=100.0, help="api: events per second taken in meanwhile")
    parser.add_argument("--schedulers", type=int, default=1, help="escalation: scheduler processes racing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="minqing-bench-") as tmp:
        asyncio.run(_run(args, Path(tmp)))


async def _run(args: argparse.Namespace, data_dir: Path) -> None:
    smoke = args.smoke
    if args.name == "ingest":
        from bench import ingest
        await ingest.run(data_dir, events=args.events or (500 if smoke else 50_000), workers=args.workers, smoke=smoke)
    elif args.name == "naive":
        from bench import naive
        await naive.run(data_dir, events=args.events or (300 if smoke else 10_000), smoke=smoke)
    elif args.name == "escalation":
        from bench import escalation
        await escalation.run(data_dir, cases=args.cases or (2_000 if smoke else 1_000_000), smoke=smoke,
                             schedulers=args.schedulers)
    elif args.name == "latency":
        from bench import latency
        await latency.run(data_dir, rate=args.rate, seconds=args.seconds or (3 if smoke else 60), smoke=smoke)
    elif args.name == "reads":
        from bench import reads
        await reads.run(data_dir, cases=args.cases or (2_000 if smoke else 1_000_000), smoke=smoke)
    elif args.name == "burst":
        from bench import burst
        await burst.run(data_dir, events=args.events or (300 if smoke else 20_000), smoke=smoke)
    elif args.name == "steady":
        from bench import steady
        await steady.run(data_dir, rate=args.rate if args.rate != 1000.0 else 50.0,
                         seconds=args.seconds or (20 if smoke else 600), smoke=smoke)
    elif args.name == "profile":
        from bench import profile_intake
        await profile_intake.run(data_dir, events=args.events or (600 if smoke else 10_000), smoke=smoke)
    elif args.name == "retention":
        from bench import retention
        await retention.run(data_dir, events=args.events or (300 if smoke else 10_000), smoke=smoke)
    elif args.name == "district":
        from bench import bulk_load
        await bulk_load.main(data_dir, args.cases or (2_000 if smoke else 1_000_000))
    else:
        from bench import api_load
        await api_load.run(data_dir, cases=args.cases or (2_000 if smoke else 1_000_000),
                           seconds=args.seconds or (3 if smoke else 30), smoke=smoke,
                           request_rates=[float(r) for r in args.requests.split(",")],
                           ingest_rate=args.ingest)


if __name__ == "__main__":
    main()
