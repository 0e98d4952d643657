# Two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# `PORT=8001 make run` (or `make run PORT=8001`) serves on another port; links in mails follow.
PORT ?= 8000
export PORT

.PHONY: run test fuzz lint check bandit messages clean load bench

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

run: $(STAMP)
	@mkdir -p var/broker var/broker-processed var/broker-control
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo --if-empty
	DEBUG=1 $(PY) manage.py make_seal_cert
	DEBUG=1 ./scripts/run-dev.sh

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# The hostile-input suite with 10,000 generated posts in all (random each run; takes long).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/security/test_hostile_forms.py $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check . || true

check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run
	LB_ENV=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=lb.example.se \
		PAYOUT_ENCRYPTION_KEYS=$$(head -c 32 /dev/urandom | base64 | tr '+/' '-_') \
		$(PY) manage.py check --deploy --fail-level WARNING

# Security linter over the application code (configured in pyproject.toml): 0 high-severity findings.
bandit: $(STAMP)
	$(VENV)/bin/bandit -c pyproject.toml -r . -lll

# The load test (bench/README.md): gunicorn with the production settings on loopback, Locust
# (in its own .venv-load) headless. LOAD_USERS=50 LOAD_TIME=2m make load for a short run.
load: $(STAMP)
	./bench/load.sh

messages: $(STAMP)
	$(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore '.venv-load/*' --ignore 'var/*' --ignore 'tests/*' --no-obsolete
	$(PY) manage.py compilemessages --ignore '.venv/*' --ignore '.venv-load/*'

# The national-scale benchmark (bench/README.md): builds the data once, then times the pages.
# Needs DATABASE_URL to a PostgreSQL database whose name contains "bench".
bench: $(STAMP)
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/lb_bench_national"; exit 2; }
	$(PY) bench/national.py build $(BENCH_BUILD_ARGS)
	$(PY) bench/national.py run $(BENCH_RUN_ARGS)

clean:
	rm -rf $(VENV) .venv-load var
