"""``Call`` and ``Answer``: one Graph call (an HTTP request or a batch item) and its reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sandbox.facebook.errors import GraphError

if TYPE_CHECKING:
    from sandbox.faults import Fault
    from sandbox.truth import Served


@dataclass
class Call:
    """One Graph call: an HTTP request, or one item of a batch."""

    method: str
    path: str
    params: dict[str, str]
    token: str | None
    token_in_query: bool
    t: float
    base: str  # absolute URL of the version root, for paging.next
    served: Served
    in_batch: bool = False
    fault: Fault | None = None


@dataclass
class Answer:
    status: int
    body: Any  # None: a batch item that timed out
    malformed: bool = False
    delay: float = 0.0
    usage_override: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_error(cls, error: GraphError) -> Answer:
        """The error envelope with the HTTP status Graph sends it with."""
        return cls(error.status, error.body())

    @property
    def intact(self) -> bool:
        return self.status == 200 and not self.malformed and self.body is not None
