"""Pages and JSON of alerts: the list an event's pages show, acknowledging, the rules form."""

from __future__ import annotations
