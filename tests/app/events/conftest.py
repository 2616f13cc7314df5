"""The loopback sandbox the pasted links are checked against, and the served app of the browser
tests (each of those modules has its own committing ``app``: the child process reads its rows)."""

from tests.app.collection.pasted import sandbox, served  # noqa: F401 - fixtures
from tests.app.live.webserver import web  # noqa: F401 - fixture
