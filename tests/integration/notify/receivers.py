"""Stand-ins for the outside world: an HTTP server answering as the webhook, DingTalk,
WeCom and Tencent Cloud SMS endpoints (recording every request as received), and a real
SMTP server (aiosmtpd)."""
from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)  # when it was received

    def json(self) -> Any:
        return orjson.loads(self.body)


ANSWERS: dict[str, tuple[int, bytes]] = {
    "/webhook": (200, b"ok"),
    "/slow": (200, b"ok"),  # a webhook that takes its time (see DELAYS)
    "/dingtalk": (200, b'{"errcode":0,"errmsg":"ok"}'),
    "/wecom": (200, b'{"errcode":0,"errmsg":"ok"}'),
    "/broken": (503, b"down for maintenance"),
    "/sms": (200, b'{"Response":{"SendStatusSet":[{"SerialNo":"1","PhoneNumber":"+86","Fee":1,'
                  b'"Code":"Ok","Message":"send success"}],"RequestId":"r-1"}}'),
}

DELAYS = {"/slow": 0.5}


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog is 5: a sender's batch of 50 concurrent deliveries
    # overflowed it and got connections reset (httpx ReadError), retried with a growing delay
    # until, on a loaded machine, the kill -9 test's deliveries ran out of time or attempts.
    # A real webhook endpoint accepts many connections at once.
    request_queue_size = 128
    daemon_threads = True


class HttpReceiver:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if len(body) < length:  # the sender died mid-request (kill -9): nothing was received
                    return
                with receiver._lock:
                    receiver.requests.append(Request(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()},
                                                     {k.lower(): v for k, v in self.headers.items()}, body))
                time.sleep(DELAYS.get(parts.path, 0))
                status, answer = ANSWERS.get(parts.path, (404, b"no such endpoint"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "HttpReceiver":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def on(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]


@dataclass(frozen=True)
class Mail:
    sender: str
    recipients: tuple[str, ...]
    content: bytes


class SmtpSink:
    """A real SMTP server on a free local port, keeping what it was sent."""

    def __init__(self) -> None:
        self.mails: list[Mail] = []
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.mails.append(Mail(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def __enter__(self) -> "SmtpSink":
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()
