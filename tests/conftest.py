"""Shared fixtures.

Databases
- `db_url`: a migrated database for this test session. SQLite file by default; PostgreSQL when
  IPEC_TEST_DATABASE_URL is set (make test runs the `backend` subset that way).
- `session`: a SQLAlchemy session inside a transaction that is rolled back after the test, so tests never see
  each other's rows. Service commits become savepoint releases.
- `ctx(actor)`: an accounts.Context on that session with the fixed clock, acting as `actor`.
- `people`: a small world (FR/DE customs, two holders, an IP office, a coordinator) with an Actor per role.

Nodes
- `demo_db_file`: a SQLite file, migrated and loaded with the demo scenario once per session (read-only copy).
- `node`: a FastAPI TestClient on a fresh copy of the demo database, with `login(username)` to sign in.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ipec.accounts import services as accounts
from ipec.accounts.policy import Actor
from ipec.config import Settings
from ipec.db.migrate import upgrade
from ipec.db.session import make_engine
from ipec.kernel.clock import FixedClock

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
DEMO_PASSWORD = "demo-password"
PG_URL = os.environ.get("IPEC_TEST_DATABASE_URL", "")
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if PG_URL:
        skip = pytest.mark.skip(reason="IPEC_TEST_DATABASE_URL is set: only tests marked backend run on PostgreSQL")
        for item in items:
            if "backend" not in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if PG_URL:
        _reset_postgres(PG_URL)
        upgrade(PG_URL)
        return PG_URL
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'ipec.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    conn = engine.connect()
    outer = conn.begin()
    s = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield s
    finally:
        s.close()
        outer.rollback()
        conn.close()


@pytest.fixture
def ctx(session: Session, clock: FixedClock) -> Callable[[Actor | None], accounts.Context]:
    def make(actor: Actor | None) -> accounts.Context:
        return accounts.Context(session=session, clock=clock, actor=actor, ip="203.0.113.7")

    return make


SYSTEM = Actor("system", "system", "coordinator", None, "admin")


@dataclass
class People:
    orgs: dict[str, str]
    actors: dict[str, Actor]


@pytest.fixture
def people(ctx: Callable[[Actor | None], accounts.Context]) -> People:
    c = ctx(SYSTEM)
    specs = {
        "customs_fr": ("Douane FR", "customs", "FR"),
        "customs_de": ("Zoll DE", "customs", "DE"),
        "police_fr": ("Police FR", "police", "FR"),
        "holder_a": ("Holder A SA", "rights_holder", "FR"),
        "holder_b": ("Holder B Inc", "rights_holder", "US"),
        "ipo_fr": ("INPI test", "ip_office", "FR"),
        "coord": ("Coordination", "coordinator", "EU"),
    }
    orgs = {k: accounts.add_organisation(c, *v) for k, v in specs.items()}
    users = {
        "admin": ("coord", "admin"),
        "officer_fr": ("customs_fr", "officer"),
        "officer_de": ("customs_de", "officer"),
        "analyst_fr": ("police_fr", "analyst"),
        "holder_a": ("holder_a", "holder"),
        "holder_b": ("holder_b", "holder"),
        "ipo_fr": ("ipo_fr", "officer"),
        "viewer": ("coord", "viewer"),
    }
    actors = {}
    for username, (org_key, role) in users.items():
        u = accounts.add_user(c, username.replace("_", "."), username, orgs[org_key].id, role, "long-enough-pw")
        actors[username] = accounts.actor_of(u)
    c.session.flush()
    return People({k: o.id for k, o in orgs.items()}, actors)


# --- nodes --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ipec.demo import scenario

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    eng = make_engine(url)
    with Session(eng) as s:
        c = accounts.Context(session=s, clock=FixedClock(NOW), actor=SYSTEM, ip="test")
        scenario.load(c, path.parent / "var" / "blobs")
    eng.dispose()
    return path


class Node:
    def __init__(self, client: object, settings: Settings, clock: FixedClock) -> None:
        self.client = client
        self.settings = settings
        self.clock = clock

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        r = self.client.post("/login", data={"username": username, "password": password},  # type: ignore[attr-defined]
                             follow_redirects=False)
        assert r.status_code == 303, r.text

    def logout(self) -> None:
        self.client.post("/logout", follow_redirects=False)  # type: ignore[attr-defined]


def copy_demo_node(demo_db_file: Path, tmp_path: Path) -> Settings:
    target = tmp_path / "node.db"
    shutil.copy(demo_db_file, target)
    # The demo's files (evidence, images) travel with its database.
    shutil.copytree(demo_db_file.parent / "var", tmp_path / "var", dirs_exist_ok=True)
    return Settings(database_url=f"sqlite:///{target}", var_dir=tmp_path / "var", node_name="test.ipec")


@pytest.fixture
def node(demo_db_file: Path, tmp_path: Path) -> Iterator[Node]:
    from fastapi.testclient import TestClient

    from ipec.app import create_app

    settings = copy_demo_node(demo_db_file, tmp_path)
    clock = FixedClock(NOW)
    with TestClient(create_app(settings, clock=clock)) as client:
        yield Node(client, settings, clock)


# --- browsers -----------------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


class LiveNode:
    def __init__(self, url: str, settings: Settings, clock: FixedClock) -> None:
        self.url = url
        self.settings = settings
        self.clock = clock


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_in_thread(app: object) -> Iterator[str]:
    import threading
    import time

    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test node did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_node(demo_db_file: Path, tmp_path: Path) -> Iterator[LiveNode]:
    from ipec.app import create_app

    settings = copy_demo_node(demo_db_file, tmp_path)
    clock = FixedClock(NOW)
    for url in serve_in_thread(create_app(settings, clock=clock)):
        yield LiveNode(url, settings, clock)


@pytest.fixture
def browser() -> Iterator[object]:
    # Function-scoped on purpose: Playwright's sync API keeps an event loop running while it is started, which
    # would break later tests in the same worker that call asyncio.run() (the ledger, notice delivery, NATS).
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-dev-shm-usage", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="en-GB")  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def sign_in(page: object, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/login")  # type: ignore[attr-defined]
    page.get_by_label("Username").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}/")  # type: ignore[attr-defined]


def merkle_vectors() -> Path:
    """The published Merkle and signed-note vectors, which live beside the repository (../shared), not in it."""
    path = SHARED / "testdata" / "merkle"
    if not path.is_dir():
        raise FileNotFoundError(
            f"{path} is missing: the ledger tests need the project's shared/ folder beside this repository "
            "(CI lays it there; in a clone elsewhere, copy or link shared/ next to the clone)")
    return path
