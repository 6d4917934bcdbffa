"""Alembic runs notify's migrations on the connection `migrate.upgrade` hands it."""

from alembic import context

from services.notify.migrate import VERSION_TABLE

context.configure(connection=context.config.attributes["connection"], version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
