"""Run Alembic migrations programmatically (used by `ipec db upgrade`, `make run` and tests).

Each feature keeps its own branch of revisions rooted at the foundation revision, so features can grow
their tables independently; `upgrade()` brings every branch to its head.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("ipec.db").joinpath("migrations")))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, target: str = "heads") -> None:
    command.upgrade(alembic_config(url), target)


def downgrade(url: str, target: str) -> None:
    command.downgrade(alembic_config(url), target)


def current_heads(url: str) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    from ipec.db.session import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
