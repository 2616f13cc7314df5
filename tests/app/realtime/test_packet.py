"""The live packets: JSON only, and a message already encoded is sent as is."""

from __future__ import annotations

import json

from socketio import packet

from app.realtime import JsonText, TextPacket


def test_a_packet_around_json_text_is_the_packet_of_the_decoded_value() -> None:
    value = {"a": [1, "é\x00"], "b": None}
    text = JsonText(json.dumps(value, separators=(",", ":")))
    for ack_id in (None, 7):
        around = TextPacket(packet.EVENT, namespace="/live", data=["snapshot", text], id=ack_id)
        plain = TextPacket(packet.EVENT, namespace="/live", data=["snapshot", value], id=ack_id)
        assert around.encode() == plain.encode()
    decoded = TextPacket(encoded_packet=around.encode())
    assert decoded.data == ["snapshot", value]
