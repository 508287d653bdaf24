"""Log lines cannot be forged: whatever a file name or an error says stays inside its field."""

from __future__ import annotations

import logging

from daemon.logs import _Formatter, event


def _line(name: str, **fields: object) -> str:
    record = logging.LogRecord("vanthu.test", logging.INFO, __file__, 1, name, None, None)
    record.fields = fields  # type: ignore[attr-defined]
    return _Formatter(as_json=False).format(record)


def test_a_file_name_with_a_newline_cannot_start_a_log_line_of_its_own() -> None:
    line = _line("staged", file="x.pdf\n2026-12-03T10:00:00 info registered so_den=1")
    assert "\n" not in line
    assert line.endswith('file="x.pdf\\n2026-12-03T10:00:00 info registered so_den=1"')


def test_a_value_holding_a_key_is_quoted_not_read_as_another_field() -> None:
    assert _line("failed", file="a.pdf status=registered").endswith(
        'file="a.pdf status=registered"'
    )
    assert _line("failed", file="a=b").endswith('file="a=b"')
    assert _line("staged", file="Công_văn.pdf").endswith("file=Công_văn.pdf")


def test_a_message_with_control_characters_is_kept_on_one_line() -> None:
    assert "\n" not in _line("error from a library:\nforged=1")
    logger = logging.getLogger("vanthu.test")
    event(logger, "plain")  # the helper still logs
