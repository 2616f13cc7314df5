"""The page's scheduled live (``Scenario.scheduled``): a second fake of the same page, on the same
clock and reading the scheduled script, answers for that live's ids, so its node, comments,
reactions, insights and batch items are played by the same machinery as the scripted live's.

Auth, throttling and faults stay with the page's fake, which hands a call over only once it
knows none of its own objects by that id; the page's ``live_videos`` edge lists both lives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.facebook.nodes import Node


class ScheduledMixin:
    """Finds which fake answers for an id: the page's own, else the scheduled live's."""

    scheduled: Any  # FacebookFake | None, the fake playing the scheduled live

    def _owner(self: Any, object_id: str, t: float) -> tuple[Any, Node] | None:
        node = self._node(object_id, t)
        if node is not None:
            return self, node
        if self.scheduled is None:
            return None
        node = self.scheduled._node(object_id, t)
        return None if node is None else (self.scheduled, node)

    def _fake_for(self, node: Node) -> Any:
        """The fake that renders a live of the page's ``live_videos`` edge."""
        s = self.scheduled
        if s is not None and node.past is None and node.id == s.scenario.params.live_video_id:
            return s
        return self
