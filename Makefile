# Two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# `PORT=8001 make run` (or `make run PORT=8001`) serves on another port; links in mails follow.
PORT ?= 8000
export PORT

.PHONY: run test fuzz lint check messages clean

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

messages: $(STAMP)
	$(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var
