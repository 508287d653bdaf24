"""The database's own guard on the audit trail: triggers that refuse to change or remove a row
of `audit_log` (on PostgreSQL also TRUNCATE). Installed by the first migration and checked at
every start, so a guard someone dropped is put back before the service writes again."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

_SQLITE_TRIGGERS = {
    "audit_log_no_update": "CREATE TRIGGER IF NOT EXISTS audit_log_no_update "
    "BEFORE UPDATE ON audit_log BEGIN "
    "SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END",
    "audit_log_no_delete": "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete "
    "BEFORE DELETE ON audit_log BEGIN "
    "SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END",
}

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION vanthu_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only'
        USING ERRCODE = 'restrict_violation', DETAIL = TG_OP || ' refused';
END
$body$
"""
_PG_TRIGGERS = {
    "audit_log_append_only": "CREATE TRIGGER audit_log_append_only "
    "BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW "
    "EXECUTE FUNCTION vanthu_audit_append_only()",
    "audit_log_no_truncate": "CREATE TRIGGER audit_log_no_truncate "
    "BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT "
    "EXECUTE FUNCTION vanthu_audit_append_only()",
}


def missing(conn: Connection) -> list[str]:
    """The guard triggers that are not there."""
    if conn.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass"
        wanted = _PG_TRIGGERS
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
        wanted = _SQLITE_TRIGGERS
    present = set(conn.execute(text(query)).scalars())
    return [name for name in wanted if name not in present]


def install(conn: Connection) -> list[str]:
    """Create the guards that are missing; the names created. Only missing ones: CREATE
    TRIGGER locks the table, and other hosts may be appending while this one starts."""
    absent = missing(conn)
    if not absent:
        return []
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_PG_FUNCTION)
        for name in absent:
            conn.exec_driver_sql(_PG_TRIGGERS[name])
    else:
        for name in absent:
            conn.exec_driver_sql(_SQLITE_TRIGGERS[name])
    return absent
