"""Normalising the personal data that links an attendee to an enrolment.

Pure modules, no Flask and no database (shared/research/linkage-vn-data.md §2, §3):
``names`` (Vietnamese names), ``phones`` (quality-flagged phones on top of
``app.normalize.normalize_phone``), ``cccd`` (personal id numbers), ``births`` (dates of birth
with their precision), ``communes`` (legacy names and codes → 2025 codes), ``mojibake``
(TCVN3/VNI text that must be reported, never matched).
"""
