"""Alembic environment: runs on the connection ceasefire hands it (see storage.migrate)."""

from alembic import context

from ceasefire.storage import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - alembic CLI use
    import sqlalchemy as sa

    from ceasefire.storage import default_url, normalise_url

    connection = sa.create_engine(normalise_url(default_url())).connect()

context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
