"""Alembic's entry point, run by daemon.register.migrate with a connection already open and a
transaction already begun (so an upgrade is all or nothing, and a PostgreSQL advisory lock
keeps two hosts from upgrading at once). Nothing here reads alembic.ini or imports models."""

from alembic import context

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
