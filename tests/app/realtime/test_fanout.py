"""Each update is serialised once per room, not once per socket; one message when no phone
or hall tells the rooms' variants apart, two (masked, in clear) when a phone does, the part
room sharing the masked one when it has no hall's contact."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from app.extensions import socketio
from app.models import Target
from app.realtime import part_room, phones_room, publish, room
from tests.app.realtime.conftest import join, received, token_for
from tests.app.realtime.test_handlers import lead_comment, written  # noqa: F401 - fixture


@pytest.fixture
def emits(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Each ``socketio.emit`` of a delta, with the Engine.IO packets it handed to sockets: one
    packet object for many sockets is a message serialised once for all of them."""
    calls: list[dict[str, Any]] = []
    emit = socketio.emit

    def counting_emit(event: str, *args: Any, **kwargs: Any) -> Any:
        if event == "delta":
            calls.append({"to": kwargs.get("to"), "data": args[0], "packets": []})
        return emit(event, *args, **kwargs)

    monkeypatch.setattr(socketio, "emit", counting_emit)
    return calls


def watch_packets(calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Record the packets sent, once the test clients have put their own sender in place."""
    server = socketio.server
    send = server._send_eio_packet

    def recording_send(eio_sid: str, pkt: Any) -> Any:
        if calls:
            calls[-1]["packets"].append(id(pkt))
        return send(eio_sid, pkt)

    monkeypatch.setattr(server, "_send_eio_packet", recording_send)


def test_without_phones_one_message_reaches_both_rooms_encoded_once(
    app: Flask, make: Any, live: Any, emits: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make.event()
    viewers = [live(auth={"token": token_for(make.user("viewer"))}) for _ in range(3)]
    officers = [live(auth={"token": token_for(make.user("officer"))}) for _ in range(2)]
    for sio in viewers + officers:
        assert join(sio, event.id)["ok"] is True
        received(sio, "snapshot")
    watch_packets(emits, monkeypatch)
    publish(event.id, "status")
    (call,) = emits
    assert call["to"] == [room(event.id), phones_room(event.id), part_room(event.id)]
    assert len(call["packets"]) == 5
    assert len(set(call["packets"])) == 1  # one packet, encoded once, for the five sockets
    got = [received(sio, "delta") for sio in viewers + officers]
    assert all(deltas == [call["data"]] for deltas in got)  # each socket once, the same message


def test_a_phone_keeps_the_rooms_apart(
    app: Flask,
    make: Any,
    live: Any,
    lead_comment: Target,  # noqa: F811 - fixture
    emits: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event_id = lead_comment.event_id
    viewers = [live(auth={"token": token_for(make.user("viewer"))}) for _ in range(2)]
    officer = live(auth={"token": token_for(make.user("officer"))})
    for sio in [*viewers, officer]:
        join(sio, event_id)
        received(sio, "snapshot")
    watch_packets(emits, monkeypatch)
    publish(event_id, "collected", written(lead_comment))
    assert [c["to"] for c in emits] == [
        [room(event_id), part_room(event_id)],
        phones_room(event_id),
    ]
    assert [len(c["packets"]) for c in emits] == [2, 1]
    assert [len(set(c["packets"])) for c in emits] == [1, 1]  # once per room, not per socket
    for sio in viewers:
        (delta,) = received(sio, "delta")
        assert delta["comments"][0]["phone"] == "09xx xxx 678"
    (delta,) = received(officer, "delta")
    assert delta["comments"][0]["phone"] == "0912 345 678"


def test_packets_are_built_without_a_walk_for_bytes(app: Flask) -> None:
    """Every live message is JSON: a snapshot's packet is not searched value by value for bytes."""
    big = {"rows": [{"id": i, "values": list(range(20))} for i in range(200)]}
    walked: list[Any] = []
    packet_class = socketio.server.packet_class
    original = packet_class.data_is_binary

    def counting(data: Any) -> bool:
        walked.append(data)
        return original(data)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(packet_class, "data_is_binary", staticmethod(counting))
        encoded = packet_class(2, namespace="/live", data=["snapshot", big]).encode()
    assert walked == []
    assert encoded.startswith('2/live,["snapshot",')
