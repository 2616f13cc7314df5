"""Entry point for gunicorn and `flask`: app = create_app().

The objects built so far (modules, the app, SQLAlchemy's mappers, translations, the Vietnamese
collator, built here rather than by the first request that sorts names) live as long as the
process: ``gc.freeze()`` moves them out of the collector's generations, so a full collection
during a storm of live joins walks only what the requests made (a tenth of the web process's CPU
went to the collector walking these again and again).
"""

import gc

from app import create_app
from app.collation import load as load_collation

app = create_app()
load_collation()
gc.freeze()
