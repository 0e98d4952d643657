#!/usr/bin/env bash
# The web server, the Celery worker and beat, together; Ctrl-C stops all three.
# Without CELERY_BROKER_URL the broker is kombu's file-system transport under var/,
# so no Redis is needed on a developer's machine. PORT chooses the port (default 8000).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
mkdir -p var/broker var/broker-processed var/broker-control
trap 'kill 0' EXIT INT TERM
.venv/bin/celery -A config worker --beat --loglevel=INFO --concurrency=1 --pool=solo &
echo "Levande bibliotek: http://127.0.0.1:${PORT}  (Ctrl-C stops the server and the worker)"
$PY manage.py runserver "127.0.0.1:${PORT}" &
wait
