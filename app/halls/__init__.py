"""Halls (bridge points, "điểm cầu"): the commune halls that join a conference, in one package.

- ``names``: which hall a participant's display name names (pure; no Flask, no database).
- ``roster``: platform participants matched to the event's halls, and the organiser's assignments.
- ``services``: an event's halls and the head-count reports they send; ``links``: each hall's
  secret check-in link (token, expiry, revoke and renew).
- ``state`` and ``board``: each hall's state during the conference, and the board of all halls.
- ``checkin`` and ``checkin_sheet``: the phone page a hall reports from (a secret link, no login);
  ``checkin_entries`` and ``checkin_fix``: its "Vừa ghi", corrected by the script or a plain form.
- ``routes``, ``forms``, ``queries``, ``qr``: the organiser pages (halls, links and QR codes,
  participants no hall claimed); ``entry_routes`` and ``organiser_entries``: a hall's check-in
  entries, corrected or removed by the organiser after the hall's 12 hours.

The model is ``BridgePoint`` (table ``bridge_points``) and the organiser URLs say
``bridge-points``; in the code the concept is a hall. Importing this package imports nothing:
``create_app`` registers the two blueprints, ``routes.bp`` ("halls", organisers only) and
``checkin.bp`` ("checkin", no account: the link is the credential, so it is exempt from CSRF).
The JSON API for halls is ``app.api.halls``.
"""
