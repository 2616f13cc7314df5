"""Fake BigBlueButton API playing the conference.

Mount the blueprint under ``/bbb/api`` (real servers: ``/bigbluebutton/api``). Calls:
``getMeetingInfo`` (the live roster: running, counts, ``attendees/attendee``, ``endTime`` once
ended) and ``isMeetingRunning``. Every call must carry ``checksum`` = hash(call name + query
string without the checksum + shared secret), SHA-1 or SHA-256 (picked by length).

Answers are XML with HTTP 200 even for failures:

=======================  ================================================================
``messageKey``           when
=======================  ================================================================
checksumError            checksum missing, wrong, or of an algorithm the server refuses
missingParamMeetingID    no ``meetingID``
notFound                 unknown meeting, not started yet, or removed ``keep`` s after end
unsupportedRequest       any other call
=======================  ================================================================

Fault switches: ``server_error`` (a 503 HTML page from the proxy), ``malformed_xml`` (a body cut
in the middle).
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, request

from sandbox.clock import Clock
from sandbox.conference import Conference, Session, stable_id
from sandbox.loopback import FaultQueue, RequestLog

ALGORITHMS = {40: "sha1", 64: "sha256", 96: "sha384", 128: "sha512"}  # by hex length
FAULTS = ("server_error", "malformed_xml")
NOT_FOUND = (
    "We could not find a meeting with that meeting ID - perhaps the meeting is not yet running?"
)


@dataclass
class BBBSettings:
    secret: str = "bbb-shared-secret-0123456789"
    algorithms: frozenset[str] = frozenset({"sha1", "sha256"})
    keep: int = 600  # seconds an ended meeting still answers before it is removed


def expected_checksum(call: str, query: str, secret: str, algorithm: str) -> str:
    return hashlib.new(algorithm, f"{call}{query}{secret}".encode()).hexdigest()


def strip_checksum(query: str) -> tuple[str, str]:
    """The raw query string without ``checksum=``, and the checksum itself."""
    kept, checksum = [], ""
    for part in query.split("&") if query else []:
        if part.startswith("checksum="):
            checksum = part[len("checksum=") :]
        else:
            kept.append(part)
    return "&".join(kept), checksum


class BBBFake:
    def __init__(
        self, conference: Conference, clock: Clock, settings: BBBSettings | None = None
    ) -> None:
        self.conference = conference
        self.clock = clock
        self.settings = settings or BBBSettings()
        self.faults = FaultQueue(FAULTS)
        self.log = RequestLog()

    def reset(self) -> None:
        self.faults.clear()
        self.log.clear()
        self.conference.reset()

    def blueprint(self, name: str = "sandbox_bbb") -> Blueprint:
        bp = Blueprint(name, __name__)
        bp.add_url_rule("/<call>", "call", self._call, methods=["GET", "POST"])
        return bp

    def _call(self, call: str) -> Response:
        t = self.clock.now()
        query = request.query_string.decode()
        self.log.add(method=request.method, path=request.path, query=query, t=t)
        fault = self.faults.take()
        if fault is not None and fault.kind == "server_error":
            page = "<html><body>503 Service Unavailable</body></html>"
            return Response(page, status=503, content_type="text/html")
        root = self._answer(call, t)
        text = ET.tostring(root, encoding="unicode")
        if fault is not None and fault.kind == "malformed_xml":
            text = text[: len(text) // 2]
        return Response(text, status=200, content_type="text/xml;charset=UTF-8")

    def _answer(self, call: str, t: float) -> ET.Element:
        query, checksum = strip_checksum(request.query_string.decode())
        algorithm = ALGORITHMS.get(len(checksum))
        if algorithm not in self.settings.algorithms or checksum != expected_checksum(
            call, query, self.settings.secret, algorithm
        ):
            return _failed("checksumError", "You did not pass the checksum security check")
        if call == "getMeetings":  # every meeting on the server: the connection check
            return self._meetings(t)
        if call not in ("getMeetingInfo", "isMeetingRunning"):
            return _failed("unsupportedRequest", "This request is not supported.")
        meeting_id = request.args.get("meetingID")
        if not meeting_id:
            return _failed("missingParamMeetingID", "You must specify a meeting ID.")
        c = self.conference
        gone = t >= c.end + self.settings.keep
        if meeting_id != c.params.bbb_meeting_id or c.phase(t) == "scheduled" or gone:
            if call == "isMeetingRunning":
                return _response({"running": "false"})
            return _failed("notFound", NOT_FOUND)
        running = c.phase(t) == "live"
        if call == "isMeetingRunning":
            return _response({"running": str(running).lower()})
        return self._meeting_info(t, running)

    def _meetings(self, t: float) -> ET.Element:
        """``getMeetings``: the conference's meeting while it runs, else BBB's noMeetings."""
        if self.conference.phase(t) != "live":
            root = _response({"messageKey": "noMeetings", "message": "no meetings were found"})
            ET.SubElement(root, "meetings")
            return root
        root = _response({})
        meeting = ET.SubElement(ET.SubElement(root, "meetings"), "meeting")
        meeting.append(self._meeting_info(t, True))
        return root

    def _meeting_info(self, t: float, running: bool) -> ET.Element:
        c = self.conference
        active = c.active(t) if running else []

        def ms(when: float) -> str:
            return str(int(c.datetime_at(when).timestamp() * 1000))

        internal = f"{stable_id('bbb', c.params.bbb_meeting_id, length=40)}-{ms(0)}"
        root = _response(
            {
                "meetingName": c.params.title,
                "meetingID": c.params.bbb_meeting_id,
                "internalMeetingID": internal,
                "createTime": ms(0),
                "voiceBridge": "70001",
                "running": str(running).lower(),
                "hasUserJoined": "true",
                "recording": "false",
                "hasBeenForciblyEnded": str(not running).lower(),
                "startTime": ms(c.start),
                "endTime": "0" if running else ms(c.end),
                "participantCount": str(len(active)),
                "listenerCount": str(sum(_flag(s, 3) for s in active)),
                "voiceParticipantCount": str(sum(not _flag(s, 3) for s in active)),
                "videoCount": str(sum(_flag(s, 2) for s in active)),
                "maxUsers": "0",
                "moderatorCount": str(sum(s.attendee.kind == "host" for s in active)),
            }
        )
        attendees = ET.SubElement(root, "attendees")
        for s in active:
            attendees.append(_attendee(s))
        ET.SubElement(root, "metadata")
        ET.SubElement(root, "isBreakout").text = "false"
        return root


def user_id(session: Session) -> str:
    """BBB gives every join its own internal user id."""
    return "w_" + stable_id("bbb", session.key, length=10)


def _flag(session: Session, modulo: int) -> bool:
    return int(stable_id("flag", session.key, length=4), 16) % modulo == 0


def _attendee(s: Session) -> ET.Element:
    host = s.attendee.kind == "host"
    listening = _flag(s, 3)
    fields = {
        "userID": user_id(s),
        "fullName": s.name,
        "role": "MODERATOR" if host else "VIEWER",
        "isPresenter": str(host).lower(),
        "isListeningOnly": str(listening).lower(),
        "hasJoinedVoice": str(not listening).lower(),
        "hasVideo": str(_flag(s, 2)).lower(),
        "clientType": "HTML5",
    }
    element = ET.Element("attendee")
    for key, value in fields.items():
        ET.SubElement(element, key).text = value
    return element


def _response(fields: dict[str, str], returncode: str = "SUCCESS") -> ET.Element:
    root = ET.Element("response")
    ET.SubElement(root, "returncode").text = returncode
    for key, value in fields.items():
        ET.SubElement(root, key).text = value
    return root


def _failed(key: str, message: str) -> ET.Element:
    return _response({"messageKey": key, "message": message}, "FAILED")


def create_app(fake: BBBFake, prefix: str = "/bbb/api") -> Flask:
    """A WSGI app serving only this fake (tests); the Sandbox mounts ``fake.blueprint()``."""
    app = Flask(__name__)
    app.register_blueprint(fake.blueprint(), url_prefix=prefix)
    return app
