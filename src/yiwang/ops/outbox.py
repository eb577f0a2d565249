"""Delivery of the outbox through the SMS port (`yiwang.identity.sms.SmsGateway`): what a
request wrote down, the worker sends, once. A failed attempt is recorded (attempts, the
error) and tried again after a growing pause, up to `MAX_ATTEMPTS`; a message whose code has
expired is not sent."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from yiwang.db import outbox_repo

if TYPE_CHECKING:
    from yiwang.bootstrap import Platform
    from yiwang.identity.sms import SmsGateway

log = logging.getLogger("yiwang.outbox")
MAX_ATTEMPTS = 5
# Longer than any gateway call should take: a claim older than this is taken to be a dead
# worker's, and the message is tried again.
LEASE = timedelta(minutes=2)
BATCH = 100


def retry_delay(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s, 40 s after the 1st…4th failure: a code lives 10 minutes."""
    return timedelta(seconds=5 * 2 ** (attempts - 1))


def deliver(platform: Platform, gateway: SmsGateway) -> int:
    """One round: claims due messages and sends each; returns how many were sent."""
    sent = 0
    for message in outbox_repo.claim(platform.engine, platform.clock(), BATCH, LEASE):
        try:
            gateway.send(message.recipient, message.body)
        except Exception as error:
            retry_at = platform.clock() + retry_delay(message.attempts) if message.attempts < MAX_ATTEMPTS else None
            log.warning(
                "SMS %d to %s***%s failed (attempt %d%s): %s",
                message.id,
                message.recipient[:3],
                message.recipient[-2:],
                message.attempts,
                "" if retry_at else ", given up",
                type(error).__name__,
            )
            outbox_repo.mark_failed(platform.engine, message.id, f"{type(error).__name__}: {error}", retry_at)
        else:
            outbox_repo.mark_sent(platform.engine, message.id, platform.clock())
            sent += 1
    return sent
