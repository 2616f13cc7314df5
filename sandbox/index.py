"""The sandbox's root page: the address of each object it plays, platform by platform.

A newcomer running ``make run`` opens the sandbox's own address and finds what to paste on a
new event of Lan Tỏa (a live video's link, a meeting's), instead of a 404. Plain HTML, no
script, in Vietnamese as the app's newcomers read it (the sandbox has no catalogue); the
addresses are the ones each platform shows its users, as the fakes answer for them.
"""

from __future__ import annotations

from html import escape
from typing import Any

# (platform, what it is, the address or ID an officer copies)
Link = tuple[str, str, str]
TITLE = "Môi trường chạy thử của Lan Tỏa"  # the interface's words for the sandbox


def live_links(sandbox: Any) -> list[Link]:
    """Every object of the scripted live and conference, the page's scheduled live included."""
    p, scheduled = sandbox.scenario.params, sandbox.scenario.scheduled
    links: list[Link] = [
        (
            "Facebook",
            "Video trực tiếp",
            f"https://www.facebook.com/{p.page_id}/videos/{p.video_id}/",
        ),
    ]
    if scheduled is not None:
        links.append(("Facebook", "Video trực tiếp đã lên lịch", sandbox.scheduled_link))
    links.append(("YouTube", "Video trực tiếp", youtube_link(p.youtube_video_id)))
    if scheduled is not None:
        links.append(
            (
                "YouTube",
                "Video trực tiếp đã lên lịch",
                youtube_link(scheduled.params.youtube_video_id),
            )
        )
    what = {"bbb": "Mã cuộc họp"}
    links += [
        (name, what.get(platform, "Cuộc họp"), link)
        for platform, (name, link, _) in meetings(sandbox).items()
    ]
    return links


def meetings(sandbox: Any) -> dict[str, tuple[str, str, str]]:
    """The conference's meeting on each platform, by account platform (zoom, teams, meet, bbb):
    its name, what an officer pastes (the link, or BigBlueButton's ID) and the id a target holds.
    One meeting played on four platforms, so a newcomer finds one the demo does not track."""
    conferences = sandbox.conferences
    c = conferences.conference.params
    pasted = {
        "zoom": ("Zoom", f"https://us02web.zoom.us/j/{c.zoom_meeting_id}"),
        "teams": ("Microsoft Teams", conferences.teams.join_web_url),
        "meet": ("Google Meet", f"https://meet.google.com/{c.meet_code}"),
        "bbb": ("BigBlueButton", c.bbb_meeting_id),
    }
    return {
        platform: (name, link, conferences.external_id(platform))
        for platform, (name, link) in pasted.items()
    }


def upcoming_videos(sandbox: Any) -> dict[str, tuple[str, str]]:
    """The scheduled live on each video platform: its link and the id a target of it holds."""
    scheduled = sandbox.scenario.scheduled
    if scheduled is None:
        return {}
    s = scheduled.params
    return {
        "Facebook": (sandbox.scheduled_link, s.live_video_id),
        "YouTube": (youtube_link(s.youtube_video_id), s.youtube_video_id),
    }


def youtube_link(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def page(links: list[Link]) -> str:
    rows, platform = [], None
    for name, what, address in links:
        if name != platform:
            if platform is not None:
                rows.append("</ul>")
            rows.append(f"<h2>{escape(name)}</h2><ul>")
            platform = name
        shown = escape(address)
        value = f'<a href="{shown}">{shown}</a>' if address.startswith("https://") else shown
        rows.append(f"<li>{escape(what)}: <code>{value}</code></li>")
    rows.append("</ul>")
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{TITLE}</title><style>body{{font-family:sans-serif;margin:1rem;"
        "max-width:60rem}code{overflow-wrap:anywhere}li{margin:.3rem 0}</style></head><body>"
        f"<h1>{TITLE}</h1><p>Các nền tảng giả lập trên cổng này. Dán một trong "
        "các địa chỉ sau vào ô liên kết của một sự kiện mới trong Lan Tỏa.</p>"
        + "".join(rows)
        + "</body></html>"
    )
