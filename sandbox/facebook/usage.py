"""Usage accounting: the ``X-App-Usage`` / ``X-Business-Use-Case-Usage`` headers and
the throttling errors once a budget is spent."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sandbox.facebook.errors import THROTTLE_MESSAGES, GraphError

if TYPE_CHECKING:
    from sandbox.faults import UsageMeter
    from sandbox.scenario import Scenario


class UsageMixin:
    """App and Page call budgets, as reported in headers and enforced by throttling."""

    scenario: Scenario
    app_usage: UsageMeter
    page_usage: UsageMeter

    def usage(self, t: float) -> dict[str, Any]:
        return {
            "app": self.app_usage.percent(t),
            "page": self.page_usage.percent(t),
            "page_minutes_to_regain": self.page_usage.minutes_to_regain(t),
        }

    def _usage_headers(self, t: float, override: dict[str, int]) -> dict[str, str]:
        app = max(self.app_usage.percent(t), override.get("app", 0))
        page = max(self.page_usage.percent(t), override.get("page", 0))
        regain = max(self.page_usage.minutes_to_regain(t), override.get("minutes", 0))
        buc = {
            "type": "pages",
            "call_count": page,
            "total_cputime": page * 2 // 5,
            "total_time": page // 2,
            "estimated_time_to_regain_access": regain,
        }
        return {
            "X-App-Usage": json.dumps(
                {"call_count": app, "total_cputime": app * 2 // 5, "total_time": app // 2},
                separators=(",", ":"),
            ),
            "X-Business-Use-Case-Usage": json.dumps(
                {self.scenario.params.page_id: [buc]}, separators=(",", ":")
            ),
        }

    def _throttle(self, t: float) -> None:
        if self.app_usage.percent(t) >= 100:
            raise GraphError(4, THROTTLE_MESSAGES[4], transient=True)
        if self.page_usage.percent(t) >= 100:
            raise GraphError(80001, THROTTLE_MESSAGES[80001], transient=True)
