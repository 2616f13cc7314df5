"""The one control surface: every group of fakes registers its routes, truth and reset with it."""

from __future__ import annotations

import requests
from flask import Flask

from sandbox import ManualClock, Sandbox
from sandbox.control import ControlSurface, Params


def test_one_truth_endpoint_for_every_fake(sandbox: Sandbox) -> None:
    conf = sandbox.conferences.conference
    sandbox.clock.set(conf.start + 900)
    truth = requests.get(f"{sandbox.control_url}/truth", timeout=5).json()
    assert set(truth) == {"facebook", "youtube", "conference"}
    assert truth["facebook"]["max_live_views"] == 0  # nothing served yet
    assert truth["conference"] == sandbox.conferences.truth(conf.start + 900)
    at_end = requests.get(f"{sandbox.control_url}/truth", params={"t": conf.end}, timeout=5)
    own = requests.get(f"{sandbox.control_url}/conference/truth", params={"t": conf.end}, timeout=5)
    assert at_end.json()["conference"] == own.json() == sandbox.conferences.truth(conf.end)
    assert (
        requests.get(f"{sandbox.control_url}/youtube/truth", timeout=5).json() == (truth["youtube"])
    )
    assert requests.get(f"{sandbox.control_url}/skype/truth", timeout=5).status_code == 404
    bad = requests.get(f"{sandbox.control_url}/truth", params={"t": "soon"}, timeout=5)
    assert bad.status_code == 400


def test_reset_reaches_every_registered_fake(sandbox: Sandbox) -> None:
    conf = sandbox.conferences.conference
    requests.post(f"{sandbox.control_url}/advance", json={"seconds": conf.start + 60}, timeout=5)
    requests.post(f"{sandbox.control_url}/conference/end", timeout=5)
    sandbox.zalo.seed_article("a1", total_view=5)
    sandbox.fail_next("facebook", "server_error")
    assert conf.end == conf.start + 60
    assert requests.post(f"{sandbox.control_url}/reset", timeout=5).json() == {"ok": True}
    assert sandbox.clock.now() == 0
    assert conf.end == conf.start + conf.params.duration
    assert sandbox.faults.pending() == []
    assert sandbox.zalo.articles == {}


def test_a_group_of_fakes_registers_routes_truth_and_reset() -> None:
    clock = ManualClock()
    surface = ControlSurface(clock)
    resets: list[float] = []
    surface.add_truth("echo", lambda t: {"t": t})
    surface.on_reset(lambda: resets.append(clock.now()))
    surface.post("/echo/faults", lambda p: {"fault": list(p.fault())})

    def refuse(p: Params) -> None:
        raise ValueError("no such knob")

    surface.get("/echo/refuse", refuse)
    app = Flask(__name__)
    app.register_blueprint(surface.blueprint())
    client = app.test_client()
    answer = client.post("/_sandbox/echo/faults", json={"platform": "x", "kind": "y", "n": 1})
    assert answer.get_json() == {"fault": ["x", "y", 1, {"n": 1}]}
    assert client.get("/_sandbox/echo/truth?t=5").get_json() == {"t": 5.0}
    assert client.get("/_sandbox/truth").get_json() == {"echo": {"t": None}}
    assert client.get("/_sandbox/echo/refuse").get_json() == {"error": "no such knob"}
    assert client.get("/_sandbox/echo/refuse").status_code == 400
    client.post("/_sandbox/advance", json={"seconds": 30})
    assert client.post("/_sandbox/reset").get_json() == {"ok": True}
    assert resets == [0.0]
