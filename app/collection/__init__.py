"""The runner side of collectors: schedule, run, write, then the steps that follow the write.

``scheduler`` ticks over due targets (``due`` says when), ``runner`` collects and owns the
transaction, ``writer`` writes a batch's rows (``upsert``) and returns what changed
(``changes``), ``steps`` are what follows the write, ``targets`` adds a target, ``discovery``
turns a fanpage's new lives into events.
"""
