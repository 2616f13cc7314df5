"""The live read model and the officer's live page.

- ``summary``: an event's totals across its targets (the summary API's body), and each hall's
  state for conferences.
- ``queries``: read-side SQL of the live page (viewer series, comments per minute, latest comments).
- ``snapshot`` and ``delta``: what a socket receives on joining, and after each change; ``shapes``:
  the JSON fields both share with the page's script; ``diff``: the patch a delta sends in place
  of the whole summary (only what moved), and its merge.
- ``routes`` and ``words``: the page itself (``bp``), painted from the same summary and series.

``app.realtime`` only carries these over Socket.IO.
"""

from flask import Blueprint

bp = Blueprint("live", __name__)

from app.live import routes  # noqa: E402,F401
