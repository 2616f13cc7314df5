"""What the Facebook and YouTube fakes share: one scripted live played on both platforms.

Both fakes answer from the same ``Scenario`` on the same clock, take faults from one queue keyed by
platform, note what they served in one ``GroundTruth`` and log requests in one ``RequestLog``, so
the control surface steers and reads them as one simulcast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.clock import Clock
    from sandbox.faults import Faults
    from sandbox.loopback import RequestLog
    from sandbox.scenario import Scenario
    from sandbox.truth import GroundTruth


@dataclass(frozen=True)
class Broadcast:
    """The simulcast's shared state; the ``Sandbox`` builds one and hands it to both fakes."""

    scenario: Scenario
    clock: Clock
    faults: Faults
    truth: GroundTruth
    log: RequestLog


class BroadcastFake:
    """Base of the two livestream fakes: the broadcast's parts as attributes their mixins use."""

    def __init__(self, broadcast: Broadcast) -> None:
        self.broadcast = broadcast
        self.scenario = broadcast.scenario
        self.clock = broadcast.clock
        self.faults = broadcast.faults
        self.truth = broadcast.truth
        self.log = broadcast.log
