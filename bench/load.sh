#!/usr/bin/env bash
# `make load`: seed (once), gunicorn with the production settings on loopback, Locust headless,
# then stop gunicorn and check the figures. See bench/README.md, "Load (`make load`)".
#
#   LOAD_USERS (200)  LOAD_TIME (10m)  LOAD_SPAWN_RATE (5/s)  LOAD_PORT (8765)
#   LOAD_DATABASE_URL (postgres://postgres@127.0.0.1:5432/lb_load_bench; its name must contain "bench")
#   LOAD_REDIS (redis://127.0.0.1:6379): database 12 is the cache (emptied before each run), 13 the broker
#   LOAD_WORKERS (2 × CPUs + 1)  LOAD_P95_MS (300)  LOAD_REBUILD=1 (seed the database afresh)
set -euo pipefail
cd "$(dirname "$0")/.."

USERS=${LOAD_USERS:-200}
RUN_TIME=${LOAD_TIME:-10m}
SPAWN_RATE=${LOAD_SPAWN_RATE:-5}
PORT=${LOAD_PORT:-8765}
WORKERS=${LOAD_WORKERS:-$((2 * $(nproc) + 1))}
P95_MS=${LOAD_P95_MS:-300}
REDIS=${LOAD_REDIS:-redis://127.0.0.1:6379}
OUT=var/load
VENV=.venv-load

mkdir -p "$OUT/mail" "$OUT/media"

# Locust (and gevent) live in their own virtualenv, never in the app's requirements.lock.
if [ ! -f "$VENV/.installed" ] || [ bench/requirements-load.txt -nt "$VENV/.installed" ]; then
	test -x "$VENV/bin/python" || python3 -m venv "$VENV"
	"$VENV/bin/pip" install --quiet -r bench/requirements-load.txt
	touch "$VENV/.installed"
fi

# Secrets made once and kept, so the seeded answer links and encrypted payee details stay valid.
(
	umask 077
	test -s "$OUT/secret_key" || head -c 48 /dev/urandom | base64 | tr -d '\n' >"$OUT/secret_key"
	test -s "$OUT/payout_key" || head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '\n' >"$OUT/payout_key"
)

# The production settings, as docker-compose.yml gives them; only the addresses are local.
export LB_ENV=production
export SECRET_KEY_FILE="$PWD/$OUT/secret_key"
export PAYOUT_ENCRYPTION_KEYS_FILE="$PWD/$OUT/payout_key"
export ALLOWED_HOSTS=127.0.0.1
export SITE_URL="https://127.0.0.1:$PORT"
export DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lb_load_bench}
export CACHE_URL="$REDIS/12"
export CELERY_BROKER_URL="$REDIS/13"
export EMAIL_URL="filemail:///$PWD/$OUT/mail" # four slashes: an absolute path
export MEDIA_ROOT="$PWD/$OUT/media"
export LOG_LEVEL=WARNING

.venv/bin/python bench/load_seed.py --out "$OUT/fixtures.json" ${LOAD_REBUILD:+--rebuild}
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
.venv/bin/python manage.py check --deploy --fail-level WARNING

redis-cli -u "$REDIS/12" flushdb >/dev/null # rate-limit counters of an earlier run
rm -f "$OUT/mail/"*

.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
	--no-control-socket --access-logfile - --access-logformat '%(s)s %(m)s %(U)s %(M)sms' >"$OUT/gunicorn.log" 2>&1 &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
	curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/" 2>/dev/null && break
	sleep 1
done

# Warm the workers (imports, templates, connections) as a server in service would be.
for _ in $(seq $((WORKERS * 4))); do
	curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" -H "X-Forwarded-For: 10.255.0.1" "http://127.0.0.1:$PORT/accounts/login/" || true
done

echo "Load: $USERS users for $RUN_TIME against $WORKERS gunicorn workers on 127.0.0.1:$PORT ($(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg))"
status=0
LOAD_FIXTURES="$OUT/fixtures.json" LOAD_MAIL_DIR="$OUT/mail" "$VENV/bin/locust" -f bench/locustfile.py --headless \
	--host "http://127.0.0.1:$PORT" --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$RUN_TIME" \
	--stop-timeout 30 --exit-code-on-error 1 --csv "$OUT/locust" --only-summary || status=$?
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

kill "$GUNICORN" 2>/dev/null || true
wait "$GUNICORN" 2>/dev/null || true
trap - EXIT
redis-cli -u "$REDIS/13" del celery >/dev/null || true # no worker ran: drop the queued mail tasks

"$VENV/bin/python" bench/load_check.py "$OUT/locust_stats.csv" --p95-ms "$P95_MS" || status=1
exit "$status"
