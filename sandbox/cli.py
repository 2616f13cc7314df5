"""``flask sandbox run``: play the scripted livestream on loopback for the demo.

Serves ``sandbox.server.Sandbox`` in the foreground with a real-time clock (× ``--speed``)
whose t = 0 is now, and prints the base URLs and credentials to configure the app with
(``FACEBOOK_GRAPH_URL``, ``YOUTUBE_API_URL``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import AppGroup

from sandbox.clock import RealClock
from sandbox.loopback import LOOPBACK
from sandbox.scenario import PRESETS, Scenario
from sandbox.server import Sandbox

sandbox_cli = AppGroup("sandbox", help="Fake Facebook and YouTube APIs playing a livestream.")


@sandbox_cli.command("run", with_appcontext=False)
@click.option("--port", default=5050, show_default=True, help="Port on 127.0.0.1.")
@click.option("--speed", default=1.0, show_default=True, help="Scenario seconds per real second.")
@click.option("--seed", default=1, show_default=True, help="Seed of the scripted livestream.")
@click.option("--start-in", default=60.0, show_default=True, help="Seconds until the live starts.")
@click.option("--minutes", default=60.0, show_default=True, help="Length of the live.")
@click.option(
    "--scenario",
    "preset",
    type=click.Choice(sorted(PRESETS)),
    default="default",
    show_default=True,
    help="Which livestream to play (dien-bien: 1,700 views, all counted by the end).",
)
def run(port: int, speed: float, seed: int, start_in: float, minutes: float, preset: str) -> None:
    """Serve the sandbox on 127.0.0.1 until interrupted."""
    epoch = datetime.now(UTC).replace(microsecond=0)
    scenario = Scenario(
        PRESETS[preset], seed=seed, epoch=epoch, start_offset=start_in, duration=minutes * 60
    )
    sandbox = Sandbox(scenario, RealClock(speed=speed))
    try:
        sandbox.serve_forever(port, on_ready=lambda ready: click.echo(describe(ready)))
    except KeyboardInterrupt:
        click.echo("Sandbox stopped.")


def describe(sandbox: Sandbox) -> str:
    """What a newcomer needs to point the app at the sandbox."""
    lines = [
        f"Sandbox serving on http://{LOOPBACK}:{sandbox.port}",
        f"  control surface: {sandbox.control_url}/state",
        f"  FACEBOOK_GRAPH_URL={sandbox.facebook_url}",
        f"  YOUTUBE_API_URL={sandbox.youtube_url}",
        f"  ZALO_API_URL={sandbox.zalo_api_url}",
        f"  ZALO_OAUTH_URL={sandbox.zalo_oauth_url}",
        "",
        *(f"  {name}: {value}" for name, value in sandbox.credentials().items()),
        "",
        "  To connect on Lan Tỏa's page Kết nối nền tảng (as an administrator):",
        *(
            f"    {kind}: " + ", ".join(f"{k}={v}" for k, v in fields.items())
            for kind, fields in sandbox.connections().items()
        ),
        "",
        f"  The live starts {sandbox.scenario.live_start:.0f} scenario seconds after start and "
        f"lasts {sandbox.scenario.params.duration / 60:.0f} minutes.",
    ]
    return "\n".join(lines)
