"""The generic XLSX/CSV reader every import uses: it knows columns, not attendees or enrolments.

- ``reader``: ``read_table(data, filename, columns)`` — bounded in size and rows, refuses what
  cannot be imported (``FileRejected``), returns numbered rows and cell-level issues.
- ``sources``: a workbook's sheet or a CSV's records, streamed and cut to the header's columns;
  a workbook's unpacked size checked before it is opened.
- ``headers``: column specs and finding the header row whatever its order, spelling and layout.
- ``cells``: what Excel and CSV really hand over (numbers, serial dates) turned into text.
- ``decoding``: a CSV's bytes as text (BOMs, UTF-8, UTF-16, Windows-1258).
- ``issues``: the row- and file-level issues an import reports, as translatable msgids.
- ``stash``: an upload kept, encrypted, between the preview and the confirmation.
- ``communes``: the commune a row writes (2025 or older) placed among the import's communes, or
  left to the user's choice when it may be several.

Legacy-font text (TCVN3/VNI) is recognised by ``app.identity.encodings``.
"""
