"""The register's schema history (Alembic): one revision per change in `versions/`, applied in
order by `vanthu db upgrade`. A change to the models needs a new revision beside them:
tests/integration/test_migrations.py fails, showing the difference, until it is written.
"""
