"""The SMS adapters shipped with the platform never reach a network."""

from __future__ import annotations

import logging

import pytest

from yiwang.identity.sms import LoggingSmsGateway, MemorySmsGateway, UnconfiguredSmsGateway


def test_memory_gateway_records_per_phone() -> None:
    gateway = MemorySmsGateway()
    gateway.send("13900000001", "a")
    gateway.send("13900000002", "b")
    assert gateway.to("13900000001") == ["a"] and gateway.to("13700000000") == []


def test_demo_gateway_echoes_and_production_gateway_never_writes_the_text(caplog: pytest.LogCaptureFixture) -> None:
    lines: list[str] = []
    LoggingSmsGateway(echo=lines.append).send("13900000001", "验证码为 123456")
    assert lines == ["短信 SMS → 13900000001: 验证码为 123456"]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="yiwang.sms"):
        UnconfiguredSmsGateway().send("13900000001", "验证码为 654321")
    assert "654321" not in caplog.text and "13900000001" not in caplog.text and "no SMS gateway" in caplog.text
