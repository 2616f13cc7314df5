"""The report rollups: per-event figures and per-cell people, kept beside the source tables.

``build`` computes and writes them, ``people`` keeps the distinct people per report cell and
``read`` turns them into a report. Importing this package installs nothing.
"""
