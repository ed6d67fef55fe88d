# Label Actions Innovantes — the two commands are `make run` and `make test`.
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in mails, sent by the web process or the background worker, point
# where the portal is served (make run PORT=8001), unless SITE_URL is set.
SITE_URL ?= http://$(HOST):$(PORT)

export DJANGO_SETTINGS_MODULE ?= label_portal.settings.dev

.PHONY: run test install system-deps system-deps-test db db-stop stop migrate seed lint format bench resilience backup restore clean help

help:
	@echo "make run    — installe, démarre PostgreSQL, migre, charge les données de démo et sert http://$(HOST):$(PORT)"
	@echo "make test   — la même installation, puis toute la suite de tests"
	@echo "make stop   — arrête le PostgreSQL intégré"

$(PY):
	@echo "==> Recherche d'un Python >= 3.12"
	@PY_FOUND=$$(scripts/find-python) || exit 1; \
	echo "==> Création de l'environnement virtuel avec $$PY_FOUND"; \
	"$$PY_FOUND" -m venv $(VENV)

$(STAMP): $(PY) requirements.txt pyproject.toml
	@echo "==> Installation des dépendances (requirements.txt)"
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

install: $(STAMP)

# Debian packages the PDFs and the browser tests need (only where apt exists).
system-deps:
	@scripts/system-deps run

system-deps-test:
	@scripts/system-deps test

db: install
	@if [ -n "$$DATABASE_URL" ]; then echo "==> DATABASE_URL défini : pas de PostgreSQL intégré"; \
	else echo "==> Démarrage du PostgreSQL intégré (.pgdata/)"; $(PY) -m label_portal.embedded_db start; fi

stop db-stop:
	@if [ -x $(PY) ]; then $(PY) -m label_portal.embedded_db stop; fi

migrate: db
	@echo "==> Migrations (territoire compris)"
	@$(PY) manage.py migrate --no-input
	@$(PY) manage.py load_territory

seed: migrate
	@mkdir -p var
	@echo "==> Données de démonstration"
	@$(PY) manage.py seed_demo

run: system-deps seed
	@$(PY) manage.py collectstatic --no-input --verbosity 0
	@echo "==> Tâches de fond (accusés de dépôt, dossiers du jury) : manage.py run_worker, journal dans var/worker.log"
	@echo "==> Tâches périodiques (rappels de bilans, mails de la rencontre annuelle) : manage.py run_scheduler, journal dans var/scheduler.log"
	@echo "==> Portail servi sur http://$(HOST):$(PORT) (Ctrl-C pour arrêter) ; liens des mails : $(SITE_URL)"
	@SITE_URL='$(SITE_URL)' $(PY) manage.py run_worker --reload > var/worker.log 2>&1 & WORKER=$$!; \
	SITE_URL='$(SITE_URL)' $(PY) manage.py run_scheduler > var/scheduler.log 2>&1 & SCHEDULER=$$!; \
	trap 'kill $$WORKER $$SCHEDULER 2>/dev/null' EXIT INT TERM; \
	SITE_URL='$(SITE_URL)' $(PY) manage.py runserver $(HOST):$(PORT)

# pytest-xdist: one test database per worker, tests taken in collection order
# (pytest-django runs the flushing, transactional tests last on each worker).
# "worksteal": each worker starts with half the suite, and one that is done takes
# half of what the other still has queued. The default "load" hands out blocks
# of up to a quarter of the remaining tests, so one worker could get every
# browser test at the end while the other sat idle.
TEST_WORKERS ?= 2
# Type-checked so far (the scope widens module by module): the toolbox, the accounts, and the
# reads, rules, lifecycles and writes of the submissions and jury stages.
MYPY_PATHS := core accounts \
	submissions/selectors.py submissions/rules.py submissions/workflows.py submissions/services \
	jury/selectors.py jury/rules.py jury/workflows.py jury/services \
	notifications coordination privacy

test: system-deps-test db
	@START=$$(date +%s); \
	echo "==> Vérifications (ruff, format, mypy, migrations)" && \
	$(BIN)/ruff check . && \
	$(BIN)/ruff format --check . && \
	$(BIN)/mypy $(MYPY_PATHS) && \
	DJANGO_SETTINGS_MODULE=label_portal.settings.test $(PY) manage.py makemigrations --check --dry-run && \
	echo "==> Tests (unitaires, navigateur, accessibilité)" && \
	DJANGO_SETTINGS_MODULE=label_portal.settings.test $(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal; \
	STATUS=$$?; echo "==> Durée : $$(( $$(date +%s) - START )) s"; exit $$STATUS

# The benchmark (issue 12): two generated databases, gunicorn with the production
# settings, wrk; the table goes to var/bench/latest.md. About 15 minutes.
bench: db
	@scripts/system-deps bench
	@$(PY) scripts/bench.py

# PostgreSQL stopped and started again under wrk load (gunicorn, production settings, the task
# worker): non-2xx answers before, during and after; fails if one request fails once it is back.
resilience: db
	@scripts/system-deps bench
	@$(PY) scripts/resilience.py

# Backups (README, « Sauvegardes ») : make backup ; make restore BACKUP=var/backups/<date>
backup: db
	@$(PY) manage.py backup

restore: db
	@test -n "$(BACKUP)" || { echo "Indiquez la sauvegarde : make restore BACKUP=var/backups/<date>" >&2; exit 2; }
	@$(PY) manage.py restore "$(BACKUP)"

lint:
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/mypy $(MYPY_PATHS)

format:
	@$(BIN)/ruff format .
	@$(BIN)/ruff check --fix .

clean: stop
	rm -rf $(VENV) .pgdata staticfiles .pytest_cache
