"""Structured logs: one JSON object per line, with the request id of the request being served."""

from __future__ import annotations

import json
import logging

from yiwang.ops.observability import JsonFormatter, request_id


def test_a_log_line_is_json_with_the_request_id_and_extras() -> None:
    token = request_id.set("req-7")
    try:
        record = logging.LogRecord("yiwang.access", logging.INFO, __file__, 1, "%s %s %d", ("GET", "/x", 200), None)
        record.duration_ms = 12.5
        line = JsonFormatter().format(record)
    finally:
        request_id.reset(token)
    entry = json.loads(line)
    assert entry["message"] == "GET /x 200"
    assert entry["request_id"] == "req-7"
    assert entry["duration_ms"] == 12.5
    assert entry["level"] == "info" and entry["logger"] == "yiwang.access"
    assert "\n" not in line


def test_outside_a_request_the_id_is_a_dash() -> None:
    record = logging.LogRecord("yiwang.worker", logging.WARNING, __file__, 1, "中文 message", (), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "-" and entry["message"] == "中文 message"
