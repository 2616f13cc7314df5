"""Serve the app with Socket.IO in a process of its own, so browser tests can kill it for real.

``python -m tests.app.live.webserver PORT`` with the app's config as JSON in
``LANTOA_TEST_APP_CONFIG`` (the same database, keys and Redis queue as the test process).
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    from app import create_app
    from app.extensions import socketio

    config = json.loads(os.environ["LANTOA_TEST_APP_CONFIG"])
    app = create_app(config)
    socketio.run(app, host="127.0.0.1", port=int(sys.argv[1]), allow_unsafe_werkzeug=True,
                 use_reloader=False, log_output=False)  # fmt: skip


if __name__ == "__main__":
    main()
