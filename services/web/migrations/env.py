"""Alembic runs the migrations on the connection, and with the version table, `shared.migrations` hands it."""

from alembic import context

attributes = context.config.attributes
context.configure(connection=attributes["connection"], version_table=attributes["version_table"])
with context.begin_transaction():
    context.run_migrations()
