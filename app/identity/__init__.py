"""People's data as Vietnamese write it: pure modules, no Flask and no database.

``text`` (cleaning, folding and the one tone-placement rule), ``phones`` (one typed number, phones
in free text, quality flags, and the same parser over an Arrow column), ``names`` (Vietnamese
names in parts), ``ids`` (CCCD, CMND and BHXH codes), ``births`` (dates of birth with their
precision), ``addresses`` (a written address taken apart: commune, district, province),
``communes`` (legacy names and codes → 2025 codes; the one resolver every import uses),
``encodings`` (TCVN3/VNI text that must be reported, never matched).
"""
