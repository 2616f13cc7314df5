"""The same-name warning as a served app reads it: outside the session, on a pooled connection
after the report's commit, its statement compiled once (``app.prepared``). The test of
``test_checkin_entries`` runs here on committed rows (there, the rolled-back session's
connection reads it through the ORM instead)."""

from __future__ import annotations

import pytest

from tests.app.halls.test_checkin_entries import (  # noqa: F401 - the test, run here committed
    test_the_server_warns_of_the_same_name_and_year_with_another_phone,
)

pytestmark = [pytest.mark.postgres, pytest.mark.committing]
