"""The SMS port (短信通道): how the platform sends a one-time code to a phone on record.

A deployment plugs in its operator's gateway. This package ships two adapters and no network
client: `MemorySmsGateway` keeps what it was asked to send (tests read it), and
`LoggingSmsGateway` writes the message to the log so a person running the demo can read the
code off the console.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger("yiwang.sms")


@dataclass(frozen=True, slots=True)
class SmsMessage:
    phone: str
    text: str


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class MemorySmsGateway:
    """Records messages instead of sending them (tests)."""

    def __init__(self) -> None:
        self.sent: list[SmsMessage] = []

    def send(self, phone: str, text: str) -> None:
        self.sent.append(SmsMessage(phone, text))

    def to(self, phone: str) -> list[str]:
        return [message.text for message in self.sent if message.phone == phone]


class LoggingSmsGateway:
    """The demo's gateway: the message goes to the log (and to ``echo``, the console of
    `yiwang serve --demo`), never to a network."""

    def __init__(self, echo: Callable[[str], None] | None = None) -> None:
        self.echo = echo

    def send(self, phone: str, text: str) -> None:
        log.warning("SMS to %s: %s", phone, text)
        if self.echo is not None:
            self.echo(f"短信 SMS → {phone}: {text}")


class UnconfiguredSmsGateway:
    """Production without an operator's gateway: nothing is sent and no code is written to
    the log (a code in a log file would let its readers take over sign-ups)."""

    def send(self, phone: str, text: str) -> None:
        log.error("no SMS gateway configured: a message to %s***%s was not sent", phone[:3], phone[-2:])
