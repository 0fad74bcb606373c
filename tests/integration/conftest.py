"""Shared by the integration tests: a small cooperation world on top of `people` (prosecutors and police in several
countries) and real loopback sinks for e-mail (aiosmtpd) and webhooks."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from ipec.accounts import services as accounts
from ipec.accounts.policy import Actor
from tests.conftest import SYSTEM, People


@dataclass
class World:
    orgs: dict[str, str]
    actors: dict[str, Actor]


@pytest.fixture
def world(people: People, ctx: Callable[[Actor | None], accounts.Context]) -> World:
    c = ctx(SYSTEM)
    extra = {
        "prosecutor_fr": ("Parquet FR", "prosecutor", "FR"),
        "prosecutor_es": ("Fiscalía ES", "prosecutor", "ES"),
        "police_de": ("BKA DE", "police", "DE"),
        "customs_nl": ("Douane NL", "customs", "NL"),
    }
    orgs = dict(people.orgs)
    actors = dict(people.actors)
    for key, spec in extra.items():
        org = accounts.add_organisation(c, *spec)
        orgs[key] = org.id
        user = accounts.add_user(c, key.replace("_", "."), key, org.id, "officer", "long-enough-pw")
        actors[key] = accounts.actor_of(user)
    c.session.flush()
    return World(orgs, actors)


@pytest.fixture
def smtp_sink() -> Iterator[tuple[int, list[Any]]]:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[Any] = []

    class Collect(Message):
        def handle_message(self, message: Any) -> None:
            received.append(message)

    # aiosmtpd checks readiness by connecting to the port it was given, so it needs a real one, not 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


@pytest.fixture
def webhook_sink() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    got: list[tuple[dict[str, str], bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            got.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/ipec-hook", got
    finally:
        server.shutdown()
