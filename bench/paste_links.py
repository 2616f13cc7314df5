"""How long an officer waits for pasted links to be checked, and how fast links are recognised.

The sandbox plays every platform on loopback, each answer delayed by ``--latency`` seconds (a
real platform's round trip from Vietnam); a paste of one link per platform (Facebook, YouTube,
Zoom, Teams, Meet, BigBlueButton) and a full paste of ``MAX_LINKS`` lines are checked through
``app.collection.links.check_links``, asking one link at a time and then ``PARALLEL`` at once.
Prints the seconds per paste and the platform calls it cost; then the recogniser's lines per
second, which never touches the network.

    .venv/bin/python bench/paste_links.py [--latency 0.15] [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._setup import bench_app  # noqa: E402


def accounts_and_event(sandbox):  # type: ignore[no-untyped-def]
    """An officer of province 40, one account per platform on the sandbox, one event."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Channel, Event, OrgUnit, Platform, PlatformAccount, Role, User

    unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "40"))
    user = User(email="bench@example.vn", role=Role.OFFICER, org_unit=unit, password_hash="x")
    p = sandbox.scenario.params
    conference = ("zoom", "teams", "meet", "bbb")
    credentials = {
        Platform.FACEBOOK: {"access_token": sandbox.facebook_token,
                            "base_url": sandbox.facebook_url},
        Platform.YOUTUBE: {"api_key": sandbox.youtube_api_key, "base_url": sandbox.youtube_url},
        **{Platform(n): sandbox.conference_credentials(n) for n in conference},
    }  # fmt: skip
    for platform, creds in credentials.items():
        external = p.page_id if platform == Platform.FACEBOOK else None
        db.session.add(PlatformAccount(platform=platform, name=platform.value, org_unit=unit,
                                       external_id=external, credentials=creds, health="ok",
                                       health_detail="", rate_limit_usage={}))  # fmt: skip
    event = Event(title="bench", channel=Channel.LIVESTREAM, org_unit=unit, cost_vnd=0)
    db.session.add_all([user, event])
    db.session.commit()
    return user, event


def one_per_platform(sandbox) -> list[str]:  # type: ignore[no-untyped-def]
    p, c = sandbox.scenario.params, sandbox.conferences.conference.params
    return [
        f"https://www.facebook.com/bhxhnghean/videos/{p.video_id}/",
        f"https://youtu.be/{p.youtube_video_id}",
        f"https://us02web.zoom.us/j/{c.zoom_meeting_id}?pwd=x",
        sandbox.conferences.teams.join_web_url,
        f"https://meet.google.com/{c.meet_code}",
        c.bbb_meeting_id,
    ]


def calls(sandbox) -> int:  # type: ignore[no-untyped-def]
    fakes = sandbox.conferences.fakes.values()
    return len(sandbox.requests_log) + sum(len(f.log.entries()) for f in fakes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.15, help="seconds per platform call")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from werkzeug.serving import make_server

    from app.collection import links
    from collectors.links import MAX_LINKS, recognise
    from sandbox import ManualClock, Sandbox
    from sandbox.loopback import LOOPBACK, QuietHandler

    # The sandbox served as Sandbox.start() does, every answer held back by the latency.
    sandbox = Sandbox(clock=ManualClock())
    sandbox.app.before_request(lambda: time.sleep(args.latency))
    server = make_server(LOOPBACK, 0, sandbox.app, threaded=True, request_handler=QuietHandler)
    sandbox.port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with bench_app("sqlite") as app:
        app.config.update(COLLECTOR_HTTP_RETRIES=0)
        user, event = accounts_and_event(sandbox)
        six = one_per_platform(sandbox)
        full = (six * MAX_LINKS)[:MAX_LINKS]
        print(f"platform latency {args.latency * 1000:.0f} ms a call, {args.rounds} rounds")
        for label, pasted in (("one link per platform", six), (f"{MAX_LINKS} lines", full)):
            for parallel in (1, links.PARALLEL):
                links.PARALLEL = parallel
                seconds, spent = [], 0
                for _ in range(args.rounds):
                    before = calls(sandbox)
                    start = time.perf_counter()
                    checked = links.check_links(event, "\n".join(pasted), user)
                    seconds.append(time.perf_counter() - start)
                    spent = calls(sandbox) - before
                    assert all(c.description is not None for c in checked), checked
                best = min(seconds)
                print(f"{label:>22}: {len(pasted):2d} lines, {spent:2d} platform calls, "
                      f"{parallel} at once: {best:5.2f} s")  # fmt: skip
    server.shutdown()

    corpus = six[:-1] + [
        "https://fb.watch/qR7xYz1AbC/",
        "https://facebook.com.evil.example/bhxh/videos/1",
        "javascript:alert(1)",
        "850 1234 5678",
        "https://m.facebook.com/watch/?v=5566778899001122&vanity=x",
    ]
    lines = corpus * 20_000
    start = time.perf_counter()
    for line in lines:
        recognise(line, bbb_ids=True)
    elapsed = time.perf_counter() - start
    print(f"recogniser: {len(lines) / elapsed:,.0f} lines/s ({len(lines):,} lines)")


if __name__ == "__main__":
    main()
