"""A fake Meta Graph API for one Page and its livestream, under ``/facebook/<version>/``.

Implements token auth and OAuth errors, ``/{page}/live_videos`` with ``broadcast_status``,
LiveVideo / Video / Post / Comment nodes, ``/{id}/comments`` with filter, order, since and cursor
paging, reactions by type and aliases, ``/{video}/video_insights`` and Page/post insights with
deprecated metrics answering error 100, ``?ids=``, batch requests, and the usage headers and
throttling codes of Meta's rate limiting. Field expansion is parsed by ``fields``.

Choices Meta's documentation leaves open (unverified against the real API): Graph errors answer
HTTP 400 (500/503 for server faults); ``status`` reads LIVE while live and VOD after; ``shares``
is omitted while 0; the post id is ``{page}_{video}``; comment ``limit`` is capped at 100.

``FacebookFake`` (``fake``) holds the state and the Flask blueprint and is built from one mixin
per concern: ``auth`` (tokens), ``usage`` (usage headers, throttling), ``routing`` (one call:
faults, then a node or an edge), ``nodes`` (lookup and field rendering), ``edges`` (reactions,
likes, live_videos), ``comments``, ``paging`` (cursors), ``insights`` and ``batch``. ``calls``
holds ``Call`` and ``Answer``, ``errors`` the ``GraphError`` envelope, ``fields`` the ``fields=``
syntax, ``settings`` the knobs.
"""

from sandbox.facebook.calls import Answer, Call
from sandbox.facebook.errors import GraphError
from sandbox.facebook.fake import FacebookFake
from sandbox.facebook.nodes import Node
from sandbox.facebook.settings import FacebookSettings

__all__ = ["Answer", "Call", "FacebookFake", "FacebookSettings", "GraphError", "Node"]
