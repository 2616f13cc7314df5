# Lan Tỏa — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test lint format translations messages bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when a requirements file changed.
$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# PySpark for LINKAGE_BACKEND=spark and its test, only where asked: in CI, or with WITH_SPARK=1.
SPARK := $(if $(filter true 1 yes,$(CI) $(WITH_SPARK)),$(VENV)/.spark)

$(VENV)/.spark: requirements-spark.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-spark.txt
	touch $@

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d app/translations

# The demo never reaches a real deployment's database, Redis, shared folder or keys, even with
# them exported in this shell (as "Scaling out" in the README does): it keeps to instance/.
DEMO_ENV := env -u DATABASE_URL -u SOCKETIO_MESSAGE_QUEUE -u RATELIMIT_STORAGE_URI \
	-u SHARED_STORE_PATH -u COLLECTOR_MODE -u SECRET_KEY -u LANTOA_DATA_KEY

## run: set up, migrate, start the app at http://$(HOST):$(PORT) with the demo province loaded
## (the serving process loads it and prints the demo log-in last, once the server answers);
## always on its own SQLite file under instance/, whatever DATABASE_URL says
run: $(VENV)/.runtime translations
	$(DEMO_ENV) $(BIN)/flask db upgrade
	LANTOA_DEMO=$${LANTOA_DEMO:-40} LANTOA_SANDBOX=$${LANTOA_SANDBOX:-1} ALLOW_PRIVATE_PLATFORM_URLS=$${ALLOW_PRIVATE_PLATFORM_URLS:-1} \
		$(DEMO_ENV) $(BIN)/flask run --host $(HOST) --port $(PORT)

## test: set up and run the whole suite (SQLite and PostgreSQL; Spark with CI=true or WITH_SPARK=1)
test: $(VENV)/.dev translations $(SPARK)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: extract translatable strings and merge them into the catalogs
messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o app/translations/messages.pot .
	$(BIN)/pybabel update --ignore-obsolete -i app/translations/messages.pot -d app/translations

$(VENV)/.bench: requirements-bench.txt $(VENV)/.dev
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

bench: $(VENV)/.bench $(SPARK)
	@for script in $(wildcard bench/*.py); do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
