"""Composition root: `create_app(settings)` wires storage, clock, templates and every feature's routes.

Nothing here runs at import time, so tests build as many nodes as they like, each with its own settings.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import ipec
from ipec.accounts import api as accounts_api
from ipec.accounts import views as accounts_views
from ipec.assistance import views as assistance_views
from ipec.cases import api as cases_api
from ipec.cases import views as cases_views
from ipec.config import Settings
from ipec.customs import api as customs_api
from ipec.customs import tasks as customs_tasks
from ipec.customs import views as customs_views
from ipec.db.session import make_engine, make_session_factory
from ipec.kernel.clock import Clock, SystemClock
from ipec.ledger import api as ledger_api
from ipec.ledger import tasks as ledger_tasks
from ipec.notices import api as notices_api
from ipec.notices import tasks as notices_tasks
from ipec.notices import views as notices_views
from ipec.rights import api as rights_api
from ipec.rights import views as rights_views
from ipec.screening import api as screening_api
from ipec.screening import views as screening_views
from ipec.web import errors, health
from ipec.web.origin import SameOriginMiddleware
from ipec.web.templating import make_templates

# Feature page modules in menu order; each may declare NAV entries.
PAGE_MODULES = [rights_views, screening_views, customs_views, notices_views, cases_views, assistance_views]


@dataclass
class NodeState:
    """What the running node shares between requests and background tasks."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock


def create_app(settings: Settings, *, clock: Clock | None = None, start_background: bool = True) -> FastAPI:
    engine = make_engine(settings.database_url)
    node = NodeState(settings, engine, make_session_factory(engine), clock or SystemClock())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        # Background work of features starts here and stops in reverse order.
        await ledger_tasks.on_startup(app.state)
        await customs_tasks.on_startup(app.state)
        await notices_tasks.on_startup(app.state)
        try:
            yield
        finally:
            await notices_tasks.on_shutdown(app.state)
            await customs_tasks.on_shutdown(app.state)
            await ledger_tasks.on_shutdown(app.state)
            engine.dispose()

    app = FastAPI(
        title="ipec",
        version=ipec.__version__,
        description="International IP-enforcement cooperation node",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.node = node
    app.state.settings = settings
    app.state.session_factory = node.session_factory
    app.state.clock = node.clock
    app.state.start_background = start_background
    app.state.templates = make_templates()
    errors.install(app)
    app.add_middleware(SameOriginMiddleware)

    app.mount("/static", StaticFiles(directory=str(resources.files("ipec.web").joinpath("static"))), name="static")
    app.include_router(ledger_api.well_known_router)
    for router in (
        health.router,
        accounts_api.router,
        rights_api.router,
        ledger_api.router,
        screening_api.router,
        customs_api.router,
        notices_api.router,
        cases_api.router,
        accounts_views.router,
        rights_views.router,
        screening_views.router,
        customs_views.router,
        notices_views.router,
        cases_views.router,
        assistance_views.router,
    ):
        app.include_router(router)
    # Menu entries that feature pages declare as NAV = [(path, label), ...] in their views module.
    app.state.nav = [item for module in PAGE_MODULES for item in getattr(module, "NAV", [])]
    app.state.dashboard_providers = [m.dashboard_tiles for m in PAGE_MODULES if hasattr(m, "dashboard_tiles")]
    return app
