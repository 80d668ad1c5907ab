"""Command-line actions for logins and tokens, for `infra.cli` to register:

    minqing login set USERNAME --role ROLE [--cadre ID]   (asks for the password twice)
    minqing token revoke TOKEN_OR_ID

Each takes the parsed `argparse.Namespace` like the other `cmd_*` functions."""
from __future__ import annotations

import argparse
import asyncio
import getpass
import re


def cmd_login_set(args: argparse.Namespace) -> None:
    from infra.auth.logins import set_password
    from infra.bootstrap import Clock, endpoints
    from infra.db.engine import create_engine
    from infra.settings import Settings
    from infra.tokens import CONSOLE

    password = getattr(args, "password", None) or getpass.getpass("password: ")
    if getattr(args, "password", None) is None and getpass.getpass("again: ") != password:
        raise SystemExit("minqing: the passwords differ")
    with endpoints(Settings()) as ep:
        async def run() -> None:
            engine = create_engine(ep.database_url, pool_size=1)
            try:
                await set_password(engine, username=args.username, password=password, role=args.role,
                                   cadre_id=args.cadre, now=Clock()(), by=CONSOLE)
            finally:
                await engine.dispose()
        try:
            asyncio.run(run())
        except ValueError as error:
            raise SystemExit(f"minqing: {error}") from None
    print(f"minqing: login {args.username} ({args.role}) is set")


def cmd_token_revoke(args: argparse.Namespace) -> None:
    from infra.auth.tokens_admin import revoke_token
    from infra.bootstrap import Clock, endpoints
    from infra.db.engine import create_engine
    from infra.settings import Settings
    from infra.tokens import CONSOLE

    is_id = re.fullmatch(r"[0-9a-f]{64}", args.token) is not None
    with endpoints(Settings()) as ep:
        async def run() -> bool:
            engine = create_engine(ep.database_url, pool_size=1)
            try:
                return await revoke_token(engine, args.token, Clock()(), raw=not is_id, by=CONSOLE)
            finally:
                await engine.dispose()
        revoked = asyncio.run(run())
    if not revoked:
        raise SystemExit("minqing: no such active token")
    print("minqing: token revoked")


def add_parsers(sub: argparse._SubParsersAction, token_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `login set` on the top-level subparsers and `revoke` under `token`."""
    login = sub.add_parser("login", help="password logins").add_subparsers(dest="login_command", required=True)
    setter = login.add_parser("set", help="create or reset a password login (a reset revokes the cadre's tokens)")
    setter.add_argument("username")
    setter.add_argument("--role", required=True)
    setter.add_argument("--cadre", default=None)
    setter.set_defaults(func=cmd_login_set)
    revoke = token_sub.add_parser("revoke", help="revoke a token (the token itself or its id)")
    revoke.add_argument("token")
    revoke.set_defaults(func=cmd_token_revoke)
