"""Attendance: who was at an event, from every source, as Person + Attendance rows.

- ``rows``: one attendee row checked the same way on a hall's check-in page and in a sheet, and
  written as a Person with one Attendance (a touch of the event).
- ``sheet``: attendee sheets (XLSX/CSV) previewed, then committed all or nothing, read with
  ``app.sheets``; ``attended``: when each person on a sheet was there.
- ``leads``: which livestream comments are leads (a phone, or a request for advice,
  registration, the contribution level…) — pure, run by the collection writer on each comment;
  ``lead_people``: lead comments made into people with a touch of their event (the follow-up
  refresh runs it before deduplication and linkage).
- ``routes`` (the organiser's import page, blueprint "imports") and ``cli``
  (``flask attendance import``).

Importing this package imports nothing: ``create_app`` registers ``routes.bp``.
"""
