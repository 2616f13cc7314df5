"""The report rollups: per-event figures and per-cell people, kept beside the source tables.

``build`` computes and writes them, ``people_cells`` keeps the distinct people per report cell,
``read`` turns them into a report and ``listeners`` (installed by ``create_app``, never by an
import) keep them following the app session's writes.
"""
