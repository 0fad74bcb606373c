from __future__ import annotations

from alembic import context

from ipec.db.session import make_engine

url = context.config.get_main_option("sqlalchemy.url")
assert url, "sqlalchemy.url must be set by ipec.db.migrate"

engine = make_engine(url)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=context.config.attributes.get("target_metadata"),
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
