"""Calls made together run as one: the first caller runs the work of every call queued behind it.

A storm of a thousand sockets joining at once asks the same small things of Redis and of the
database a thousand times (record this socket, read this event's number, write this audit row).
Each round trip costs the web process more CPU in the client library than in the server, so they
are grouped the way a database groups commits: the first call to arrive runs its own work
together with every call queued behind it, in one round trip; calls that arrive while it runs
wait, and the first of them then runs the next group. Each call returns only once its own work is
done, with its own result, so nothing is weaker than one call alone: the work of a call is done
after the call began (never reused from a round trip sent before it), and a failed group fails
every call in it, as its own call would have failed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from flask import current_app

T = TypeVar("T")
R = TypeVar("R")
WAIT_SECONDS = 60.0  # a group that takes longer fails its calls (the server is stuck)


@dataclass
class Call(Generic[T]):
    """One caller's item, and what the group's run gave back for it."""

    item: T
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    finished: bool = False
    result: Any = None
    error: BaseException | None = None


@dataclass
class Group(Generic[T, R]):
    """The calls queued behind the one running, and whether one is running."""

    run: Callable[[list[T]], list[R]]  # the work of many items in one go; a result per item
    lock: threading.Lock = field(default_factory=threading.Lock)
    calls: list[Call[T]] = field(default_factory=list)
    running: bool = False

    def __call__(self, item: T) -> R:
        """``run([item, …])[i]`` for this item, run with the items queued meanwhile."""
        me: Call[T] = Call(item)
        with self.lock:
            self.calls.append(me)
            if not self.running:
                self.running = me.lead = True
        while not me.finished:
            if me.lead:
                self._run_queued()
                continue
            if not me.done.wait(WAIT_SECONDS) and self._gave_up(me):
                raise TimeoutError("a grouped call was not run in time")
            me.done.clear()
        if me.error is not None:
            raise me.error
        return me.result  # type: ignore[no-any-return]

    def _gave_up(self, me: Call[T]) -> bool:
        """Whether a call that waited too long leaves (out of the queue, never to lead it); not
        when it was handed the lead meanwhile."""
        with self.lock:
            if me.lead or me.finished:
                return False
            if me in self.calls:
                self.calls.remove(me)
            return True

    def _run_queued(self) -> None:
        """Run every queued call (the caller's among them), then hand the running over to the
        first call queued meanwhile, even when the run was interrupted (a greenlet killed):
        a group left running with nobody to run it would stop every later call."""
        with self.lock:
            group, self.calls = self.calls, []
        results: list[Any] = [None] * len(group)
        error: BaseException | None = RuntimeError("a grouped run was interrupted")
        try:
            done = list(self.run([call.item for call in group]))
            if len(done) != len(group):
                raise RuntimeError(f"a grouped run gave {len(done)} results for {len(group)}")
            results, error = done, None
        except Exception as exc:  # every call of the group fails, as each alone would have
            error = exc
        finally:
            for call, result in zip(group, results, strict=True):
                call.result, call.error, call.finished, call.lead = result, error, True, False
                call.done.set()
            with self.lock:
                if self.calls:
                    self.calls[0].lead = True
                    self.calls[0].done.set()
                else:
                    self.running = False


def of_app(name: str, run: Callable[[list[T]], list[R]]) -> Group[T, R]:
    """The app's group called ``name`` (its work goes through that app's connections)."""
    groups: dict[str, Group[Any, Any]] = current_app.extensions.setdefault("lantoa_grouped", {})
    found = groups.get(name)
    if found is None:
        found = groups.setdefault(name, Group(run))
    return found
