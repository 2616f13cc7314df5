"""The link recogniser over every form officers copy, and over hostile text.

Pins: each platform's link forms (desktop, ``m.``, ``web.``, embeds, short video paths) name the
same object; passcodes and passwords never reach the external id; links that need a redirect
(``fb.watch``, ``facebook.com/share``, shorteners) are refused, not opened; look-alike hosts,
``javascript:``/``data:`` URLs and ``user@host`` tricks are refused; nothing touches the network.
"""

from __future__ import annotations

import socket

import pytest

import collectors
from collectors.base import join_link, youtube_watch_url
from collectors.links import (
    REASONS,
    Link,
    Refusal,
    object_url,
    pasted_lines,
    platform_link,
    recognise,
    server_of,
)

FB_VIDEO = "5566778899001122"
FB_LIVE = "1029384756102938"
YT = "bhxhTNLive1"
ZOOM = "85012345678"
TEAMS_JOIN = (
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzE0Y2E5%40thread.v2/0"
    "?context=%7b%22Tid%22%3a%22t-1%22%2c%22Oid%22%3a%22o-1%22%7d"
)

RECOGNISED = [
    # Facebook: the id a link shows is the video's
    (f"https://www.facebook.com/bhxhnghean/videos/{FB_VIDEO}/", "facebook_live", FB_VIDEO),
    (f"https://www.facebook.com/bhxhnghean/videos/tu-van-bhxh/{FB_VIDEO}", "facebook_live",
     FB_VIDEO),
    (f"https://www.facebook.com/bhxhnghean/videos/vb.104729318856412/{FB_VIDEO}/?type=3",
     "facebook_live", FB_VIDEO),
    (f"https://m.facebook.com/bhxhnghean/videos/{FB_VIDEO}/?mibextid=rS40aB", "facebook_live",
     FB_VIDEO),
    (f"https://web.facebook.com/bhxhnghean/videos/{FB_VIDEO}/?_rdc=1&_rdr", "facebook_live",
     FB_VIDEO),
    (f"https://www.facebook.com/watch/?v={FB_VIDEO}", "facebook_live", FB_VIDEO),
    (f"https://www.facebook.com/watch/live/?ref=watch_permalink&v={FB_VIDEO}", "facebook_live",
     FB_VIDEO),
    (f"https://m.facebook.com/watch/?v={FB_VIDEO}&vanity=bhxh", "facebook_live", FB_VIDEO),
    (f"https://mbasic.facebook.com/video.php?v={FB_VIDEO}", "facebook_live", FB_VIDEO),
    (f"https://www.facebook.com/bhxhnghean/live_videos/{FB_LIVE}/", "facebook_live", FB_LIVE),
    (f"https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fbhxh"
     f"%2Fvideos%2F{FB_VIDEO}%2F&show_text=0", "facebook_live", FB_VIDEO),
    (f"facebook.com/bhxhnghean/videos/{FB_VIDEO}", "facebook_live", FB_VIDEO),
    (f"HTTPS://WWW.FACEBOOK.COM/BHXHNGHEAN/VIDEOS/{FB_VIDEO}/", "facebook_live", FB_VIDEO),
    (f"<https://www.facebook.com/watch/?v={FB_VIDEO}>", "facebook_live", FB_VIDEO),
    # YouTube
    (f"https://www.youtube.com/watch?v={YT}", "youtube_live", YT),
    (f"https://www.youtube.com/watch?app=desktop&v={YT}&t=42s", "youtube_live", YT),
    (f"https://m.youtube.com/watch?v={YT}&feature=share", "youtube_live", YT),
    (f"https://youtu.be/{YT}?si=AbCdEfGh", "youtube_live", YT),
    (f"https://www.youtube.com/live/{YT}?feature=shared", "youtube_live", YT),
    (f"https://youtube.com/shorts/{YT}", "youtube_live", YT),
    (f"https://www.youtube.com/embed/{YT}?autoplay=1", "youtube_live", YT),
    (f"https://www.youtube-nocookie.com/embed/{YT}", "youtube_live", YT),
    (f"youtu.be/{YT}", "youtube_live", YT),
    # Zoom: links on any subdomain, or the bare number however it was spaced
    (f"https://zoom.us/j/{ZOOM}", "zoom_meeting", ZOOM),
    (f"https://us02web.zoom.us/j/{ZOOM}?pwd=QmhYaE5naGVBbjIwMjc.1", "zoom_meeting", ZOOM),
    (f"https://bhxh-vn.zoom.us/w/{ZOOM}?tk=abc&pwd=x", "zoom_meeting", ZOOM),
    (f"https://zoom.us/s/{ZOOM}", "zoom_meeting", ZOOM),
    (f"https://app.zoom.us/wc/join/{ZOOM}", "zoom_meeting", ZOOM),
    (f"https://zoom.us/wc/{ZOOM}/join?fromPWA=1", "zoom_meeting", ZOOM),
    (f"https://zoom.us/join?confno={ZOOM}", "zoom_meeting", ZOOM),
    ("850 1234 5678", "zoom_meeting", ZOOM),
    ("850-1234-5678", "zoom_meeting", ZOOM),
    ("85012345678", "zoom_meeting", ZOOM),
    ("ID cuộc họp: 850 1234 5678", "zoom_meeting", ZOOM),
    ("Meeting ID: 850 1234 5678", "zoom_meeting", ZOOM),
    ("857 963 123", "zoom_meeting", "857963123"),
    # Teams: the join link itself, which Graph looks up; the numeric ID of /meet/ links
    (TEAMS_JOIN, "teams_meeting", TEAMS_JOIN),
    (f"https://teams.microsoft.com/v2/?meetingjoin=true#{TEAMS_JOIN[27:]}", "teams_meeting",
     TEAMS_JOIN),
    ("https://teams.microsoft.com/meet/3456789012345?p=Bh7xNa", "teams_meeting",
     "3456789012345"),
    ("https://nam12.safelinks.protection.outlook.com/?url=" + TEAMS_JOIN.replace("%", "%25")
     .replace("?", "%3F").replace("=", "%3D").replace("&", "%26") + "&data=05", "teams_meeting",
     TEAMS_JOIN),
    # Google Meet
    ("https://meet.google.com/bhx-hnge-anq", "meet_conference", "bhx-hnge-anq"),
    ("https://meet.google.com/bhx-hnge-anq?authuser=0&pli=1", "meet_conference", "bhx-hnge-anq"),
    ("meet.google.com/bhxhngeanq", "meet_conference", "bhx-hnge-anq"),
    ("bhx-hnge-anq", "meet_conference", "bhx-hnge-anq"),
    ("BHX-HNGE-ANQ", "meet_conference", "bhx-hnge-anq"),
    # BigBlueButton join links, on any server
    ("https://bbb.bhxh.gov.vn/bigbluebutton/api/join?fullName=Xa+A&meetingID=hn-2027"
     "&password=ap&redirect=true&checksum=0a1b", "bbb_meeting", "hn-2027"),
    # The link shim wraps another link
    (f"https://l.facebook.com/l.php?u=https%3A%2F%2Fyoutu.be%2F{YT}&h=AT0", "youtube_live", YT),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "external_id"), RECOGNISED)
def test_every_copied_form_names_the_object(text: str, kind: str, external_id: str) -> None:
    found = recognise(text)
    assert isinstance(found, Link), found
    assert (found.kind, found.external_id) == (kind, external_id)
    assert found.platform == collectors.COLLECTORS[kind].platform
    assert collectors.COLLECTORS[kind].describe is not None  # the platform can check it


def test_secrets_in_a_link_never_reach_the_external_id() -> None:
    for text in (
        f"https://us02web.zoom.us/j/{ZOOM}?pwd=SECRET",
        "https://teams.microsoft.com/meet/3456789012345?p=SECRET",
        "https://bbb.example.vn/bigbluebutton/api/join?meetingID=m1&password=SECRET&checksum=c",
    ):
        found = recognise(text)
        assert isinstance(found, Link)
        assert "SECRET" not in found.external_id


def test_a_bbb_link_names_its_server_and_a_bare_id_needs_a_bbb_account() -> None:
    found = recognise("http://127.0.0.1:5055/bbb/api/join?meetingID=bhxh-hoinghi-2027&fullName=A")
    assert found == Link("bbb_meeting", "bhxh-hoinghi-2027", "bbb", "127.0.0.1:5055")
    assert recognise("https://bbb.example.vn:443/bigbluebutton/api/join?meetingID=m").host == (
        "bbb.example.vn"
    )
    assert recognise("bhxh-hoinghi-2027") == Refusal("not_a_link")
    assert recognise("bhxh-hoinghi-2027", bbb_ids=True) == Link(
        "bbb_meeting", "bhxh-hoinghi-2027", "bbb"
    )
    assert recognise("https://bbb.example.vn/b/abc-x1y-z2w", bbb_hosts={"bbb.example.vn"}) == (
        Refusal("bbb_room", "bbb", "bbb.example.vn")
    )
    assert server_of("https://bbb.example.vn/bigbluebutton/api/") == "bbb.example.vn"
    assert server_of("http://127.0.0.1:5055/bbb/api") == "127.0.0.1:5055"


REFUSED = [
    # needs a redirect: never opened
    ("https://fb.watch/qR7xYz1AbC/", "short_link"),
    ("fb.watch/qR7xYz1AbC", "short_link"),
    ("https://www.facebook.com/share/v/1AbCdEfGh/", "facebook_share"),
    ("https://m.facebook.com/share/r/1AbCdEfGh/?mibextid=x", "facebook_share"),
    ("https://bit.ly/3bhxhTN", "short_link"),
    ("https://tinyurl.com/bhxh-live", "short_link"),
    # hostile
    ("javascript:alert(1)", "unsafe_link"),
    ("JaVaScRiPt:alert(document.cookie)//https://www.facebook.com/watch/?v=1", "unsafe_link"),
    ("data:text/html;base64,PHNjcmlwdD4=", "unsafe_link"),
    ("file:///etc/passwd", "unsafe_link"),
    ("ftp://www.facebook.com/videos/5566778899001122", "unsafe_link"),
    ("zoommtg://zoom.us/join?confno=85012345678", "unsafe_link"),
    (f"https://www.facebook.com@evil.example/watch/?v={FB_VIDEO}", "unsafe_link"),
    (f"https://user:pw@www.youtube.com/watch?v={YT}", "unsafe_link"),
    (f"https://evil.example\\@www.facebook.com/watch/?v={FB_VIDEO}", "unsafe_link"),
    (f"https://www.facebook.com/watch/?v={FB_VIDEO}\n<script>", "unsafe_link"),
    (f"https://facebook.com.evil.example/bhxh/videos/{FB_VIDEO}", "unknown_site"),
    (f"https://evilfacebook.com/bhxh/videos/{FB_VIDEO}", "unknown_site"),
    (f"https://www.facebook.com.vn/bhxh/videos/{FB_VIDEO}", "unknown_site"),
    (f"https://youtube.com.evil.example/watch?v={YT}", "unknown_site"),
    (f"https://www.yout-ube.com/watch?v={YT}", "unknown_site"),
    (f"https://zoom.us.evil.example/j/{ZOOM}", "unknown_site"),
    (f"https://faceboоk.com/watch/?v={FB_VIDEO}", "unknown_site"),  # a Cyrillic "о"
    ("https://meet.google.com.evil.example/bhx-hnge-anq", "unknown_site"),
    ("https://example.org/live", "unknown_site"),
    ("http://127.0.0.1:5055/_sandbox/reset", "unknown_site"),
    ("x" * 2001, "too_long"),
    # not a trackable object: the reason says what to paste instead
    ("https://www.facebook.com/bhxhnghean", "facebook_page"),
    ("https://www.facebook.com/profile.php?id=100064", "facebook_page"),
    ("https://www.facebook.com/bhxhnghean/posts/pfbid02Xyz", "facebook_post"),
    ("https://www.facebook.com/permalink.php?story_fbid=123&id=456", "facebook_post"),
    ("https://www.facebook.com/events/123456789/", "facebook_post"),
    ("https://www.facebook.com/bhxhnghean/videos/", "facebook_no_video"),
    ("https://www.facebook.com/watch/", "facebook_no_video"),
    ("https://www.youtube.com/@BHXHVietNam/live", "youtube_channel"),
    ("https://www.youtube.com/channel/UCbhxhNgheAn0000000000aa", "youtube_channel"),
    ("https://www.youtube.com/playlist?list=PL123", "youtube_no_video"),
    ("https://www.youtube.com/watch?v=short", "youtube_bad_id"),
    ("https://www.youtube.com/watch?v=", "youtube_no_video"),
    ("https://youtu.be/demo1764990000", "youtube_bad_id"),
    ("https://zoom.us/my/bhxhnghean", "zoom_personal"),
    ("https://zoom.us/meeting/register/tJ0kc", "zoom_no_id"),
    ("https://zoom.us/j/0123", "zoom_no_id"),
    ("https://teams.live.com/meet/9381234567890?p=x", "teams_personal"),
    ("https://teams.microsoft.com/l/channel/19%3abc%40thread.tacv2/General", "teams_no_meeting"),
    ("https://meet.google.com/lookup/bhxhnghean", "meet_no_code"),
    ("https://meet.google.com/", "meet_no_code"),
    ("0912345678", "not_a_link"),  # a phone number, not a Zoom meeting
    ("123456", "not_a_link"),  # a passcode
    ("livestream tối nay", "not_a_link"),
    ("bhxh-hoinghi-2027", "not_a_link"),  # a BBB id only when the unit has a BBB server
    ("", "not_a_link"),
]


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_what_cannot_be_tracked_is_refused_with_its_reason(text: str, reason: str) -> None:
    found = recognise(text)
    assert isinstance(found, Refusal), found
    assert found.reason == reason
    assert reason in REASONS


def test_a_refused_link_names_its_platform_and_host() -> None:
    assert recognise("https://fb.watch/x/") == Refusal("short_link", "facebook", "fb.watch")
    assert recognise("https://facebook.com.evil.example/x").host == "facebook.com.evil.example"


def test_a_malformed_youtube_id_is_named_in_the_refusal() -> None:
    assert recognise("https://www.youtube.com/watch?v=demo1764990000&t=3") == Refusal(
        "youtube_bad_id", "youtube", value="demo1764990000"
    )
    assert recognise("https://youtu.be/" + "x" * 200).value == "x" * 40  # not the whole line


def test_recognising_opens_no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kw: object) -> None:
        raise AssertionError("the recogniser opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for text, *_ in RECOGNISED + REFUSED:
        recognise(text, bbb_ids=True, bbb_hosts={"bbb.example.vn"})


def test_a_paste_is_cut_into_its_non_empty_lines() -> None:
    text = f"  https://youtu.be/{YT}  \r\n\r\n\t850 1234 5678\n   \n"
    assert pasted_lines(text) == [f"https://youtu.be/{YT}", "850 1234 5678"]


@pytest.mark.parametrize(
    ("url", "platform", "kept"),
    [
        ("https://www.facebook.com/bhxhnghean/videos/551796681214/", "facebook", True),
        ("/104729318856412/videos/551796681214/", "facebook", True),  # Graph's permalink path
        ("http://m.facebook.com/watch/?v=551796681214", "facebook", True),
        ("https://www.youtube.com/watch?v=bhxhTNLive1", "youtube", True),
        ("https://us02web.zoom.us/j/85012345678", "zoom", True),
        ("https://meet.google.com/abc-defg-hij", "meet", True),
        ("https://www.youtube.com/watch?v=bhxhTNLive1", "facebook", False),  # another platform's
        ("https://facebook.com.evil.example/videos/1", "facebook", False),
        ("https://evilfacebook.com/videos/1", "facebook", False),
        ("https://www.facebook.com@evil.example/videos/1", "facebook", False),
        ("//evil.example/videos/1", "facebook", False),
        ("javascript:alert(1)//www.facebook.com/", "facebook", False),
        ("ftp://www.facebook.com/videos/1", "facebook", False),
        ("https://www.facebook.com/videos/1 onmouseover=x", "facebook", False),
        ("https://bbb.bhxh.example/bigbluebutton/api/join?meetingID=x", "bbb", False),
        ("/videos/1", "youtube", False),  # a path is Facebook's alone
        ("", "facebook", False),
    ],
)
def test_only_an_address_on_the_platforms_own_sites_is_kept(
    url: str, platform: str, kept: bool
) -> None:
    got = platform_link(url, platform)
    assert bool(got) is kept
    if kept:
        assert got.startswith(("https://", "http://"))
        assert got.endswith(url)


def test_a_pasted_link_is_rebuilt_from_its_id_without_its_secrets() -> None:
    def rebuilt(text: str) -> str:
        found = recognise(text, bbb_ids=True)
        assert isinstance(found, Link)
        return object_url(found)

    shim = ("https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.facebook.com%2Fbhxh%2Fvideos%2F"
            "551796681214%2F&h=AT0")  # fmt: skip
    facebook = rebuilt(shim)
    assert facebook == "https://www.facebook.com/watch/?v=551796681214"
    assert platform_link(facebook, "facebook") == facebook  # what it rebuilds is kept
    youtube = rebuilt("https://youtu.be/bhxhTNLive1?si=x")
    assert youtube == "https://www.youtube.com/watch?v=bhxhTNLive1"
    zoom = rebuilt("https://us02web.zoom.us/j/85012345678?pwd=QmhYaE5naGVBbjIwMjc")
    assert zoom == "https://zoom.us/j/85012345678"
    assert rebuilt("Meeting ID: 850 1234 5678") == zoom
    teams = rebuilt("https://teams.microsoft.com/meet/2345678901234?p=Secr3tPass")
    assert teams == "https://teams.microsoft.com/meet/2345678901234"
    assert rebuilt("abc-defg-hij") == "https://meet.google.com/abc-defg-hij"
    bbb = "https://bbb.bhxh.example/bigbluebutton/api/join?meetingID=hn-12&password=mp&checksum=a"
    assert rebuilt(bbb) == ""


def test_a_join_address_loses_its_passcode_and_a_video_gets_its_address() -> None:
    assert join_link("https://us02web.zoom.us/j/85012345678?pwd=QmhYaE5n#success") == (
        "https://us02web.zoom.us/j/85012345678"
    )
    assert join_link(None) is None
    assert join_link("") is None
    assert join_link(42) is None
    assert youtube_watch_url("dQw4w9WgXcQ") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert youtube_watch_url("a&b=c") == "https://www.youtube.com/watch?v=a%26b%3Dc"
