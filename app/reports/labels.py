"""Page labels of channels and reach kinds (translated); charts and Excel keep Vietnamese."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.events.forms import CHANNEL_LABELS as EVENT_CHANNEL_LABELS
from app.reports.offline import KIND_LABELS

CHANNEL_LABELS: dict[str, Any] = {
    **{c.value: label for c, label in EVENT_CHANNEL_LABELS.items()},
    **{k.value: label for k, label in KIND_LABELS.items()},
}
REACH_LABELS: dict[str, Any] = {
    "views": _l("views"),
    "people": _l("people present"),
    "copies": _l("copies"),
    "broadcasts": _l("broadcasts"),
}
REPORT_LABELS = {"channels": CHANNEL_LABELS, "reach": REACH_LABELS}
