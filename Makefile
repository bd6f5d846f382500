# Two commands matter: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installe
PYTEST_ARGS ?= -n 2

.PHONY: install run test lint format demo clean-var bench bench-rapport backup restore

$(STAMP): requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

# Web + Celery worker + Celery beat on http://127.0.0.1:8000, SQLite and the filesystem broker.
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py charger_territoires
	$(PY) manage.py demo
	@echo "Démarrage : web http://127.0.0.1:8000, worker et beat Celery (Ctrl-C arrête les trois)."
	@trap 'kill 0' INT TERM; \
	$(VENV)/bin/celery -A cerdd_cycle worker --loglevel=INFO --concurrency=1 --without-gossip --without-mingle & \
	$(VENV)/bin/celery -A cerdd_cycle beat --loglevel=INFO & \
	$(PY) manage.py runserver 127.0.0.1:8000 & \
	(sleep 6; $(PY) manage.py demo --identifiants) & \
	wait

test: install
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

demo: install
	$(PY) manage.py demo

# The load run (bench/README.md): national-scale data in a throwaway PostgreSQL database
# (DATABASE_URL, else the local server), gunicorn, a table written to bench/resultats/.
# BENCH_ARGS="--echelle regionale --duree 5" to change it.
bench: install
	$(PY) bench/charge.py $(BENCH_ARGS)

# The capitalisation report's benchmark (bench/README.md): a throwaway database, then a table
# written to bench/resultats/. PostgreSQL when DATABASE_URL names one.
bench-rapport: install
	$(PY) bench/rapport.py --echelle grande

# Backup of the database and of the files (MEDIA_ROOT, PRIVATE_MEDIA_ROOT) in one archive,
# var/sauvegardes/cerdd-cycle-AAAAMMJJ-HHMMSS.tar.gz unless SAUVEGARDE=... names it.
backup: install
	$(PY) manage.py sauvegarder $(if $(SAUVEGARDE),--sortie "$(SAUVEGARDE)")

# Replaces the database and the files by the archive's. Stop the server and Celery first.
restore: install
	@test -n "$(SAUVEGARDE)" || { echo "Indiquez l'archive à restaurer : make restore SAUVEGARDE=var/sauvegardes/cerdd-cycle-AAAAMMJJ-HHMMSS.tar.gz" >&2; exit 2; }
	$(PY) manage.py restaurer "$(SAUVEGARDE)"
