"""Shared fixtures: real servers (PostgreSQL, Dovecot) and a test PKI live in tests/fixtures/."""

import importlib.util

pytest_plugins = [
    name
    for name in (
        "tests.fixtures.postgres",
        "tests.fixtures.dovecot",
        "tests.fixtures.pki",
        "tests.fixtures.install",
        "tests.fixtures.smtp",
        "tests.fixtures.softhsm",
    )
    if importlib.util.find_spec(name) is not None
]
