#!/usr/bin/env bash
# Runs the app locally against real local services, for trying the API by hand:
#   Azurite  (Table/Queue/Blob storage) on 127.0.0.1:10000-10002, data kept in .dev/azurite across runs
#   MailDev  (catches all outgoing email) SMTP 127.0.0.1:1025, web UI http://127.0.0.1:1080
#   the app  on http://127.0.0.1:7071 (Development environment, demo data seeded), the demo portal at http://localhost:7071/demo/
# Ctrl-C stops everything this script started. Logs of Azurite and MailDev are in .dev/logs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly HOST=127.0.0.1
readonly AZURITE_BLOB_PORT=10000 AZURITE_QUEUE_PORT=10001 AZURITE_TABLE_PORT=10002
readonly SMTP_PORT=1025 MAILDEV_WEB_PORT=1080
readonly APP_PORT=7071
readonly APP_URL="http://$HOST:$APP_PORT"
readonly PORTAL_ORIGIN="http://localhost:$APP_PORT"
readonly LOG_DIR=.dev/logs
readonly STARTUP_TIMEOUT_SECONDS=60
# The first `dotnet run` also restores and builds, which takes minutes on a small machine.
readonly APP_STARTUP_TIMEOUT_SECONDS=300

# Job control gives every background job its own process group, so stopping a job also stops whatever it spawned
# (dotnet run starts the app as a child process).
set -m

started_pids=()

stop_all() {
  trap - INT TERM EXIT
  ((${#started_pids[@]})) || return 0
  echo "Stopping..."
  # Last started, first stopped: the app lets go of its work while Azurite is still there to record it, then Azurite
  # saves its data. Each gets time to shut down cleanly, then is forced.
  local i pid deadline
  for ((i = ${#started_pids[@]} - 1; i >= 0; i--)); do
    pid=${started_pids[i]}
    kill -TERM -- "-$pid" 2>/dev/null || true
    deadline=$((SECONDS + 15))
    while kill -0 -- "-$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.2
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_open() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

fail() {
  echo "error: $*" >&2
  exit 1
}

require_free_port() {
  if port_open "$1"; then
    fail "$HOST:$1 is already in use ($2). Stop whatever is using it and try again."
  fi
}

# wait_for_port NAME PID PORT LOG
wait_for_port() {
  local deadline=$((SECONDS + STARTUP_TIMEOUT_SECONDS))
  until port_open "$3"; do
    if ! kill -0 "$2" 2>/dev/null; then
      tail -n 30 "$4" >&2 || true
      fail "$1 exited during startup (log: $4)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$4" >&2 || true
      fail "$1 did not open $HOST:$3 within ${STARTUP_TIMEOUT_SECONDS}s (log: $4)"
    fi
    sleep 0.2
  done
}

command -v node >/dev/null || fail "Node.js is required (for Azurite and MailDev)"
command -v dotnet >/dev/null || fail "the .NET SDK is required"
command -v curl >/dev/null || fail "curl is required"

if [[ ! -f node_modules/.package-lock.json ]]; then
  echo "Installing Azurite and MailDev (npm ci)..."
  npm ci --no-audit --no-fund
fi

for port in $AZURITE_BLOB_PORT $AZURITE_QUEUE_PORT $AZURITE_TABLE_PORT; do
  require_free_port "$port" "another Azurite?"
done
require_free_port $SMTP_PORT "another MailDev or SMTP server?"
require_free_port $MAILDEV_WEB_PORT "another MailDev?"
require_free_port $APP_PORT "another instance of the app or the Functions host?"

mkdir -p .dev/azurite .dev/maildev "$LOG_DIR"

echo "Starting Azurite (data in .dev/azurite)..."
node_modules/.bin/azurite \
  --blobHost $HOST --blobPort $AZURITE_BLOB_PORT \
  --queueHost $HOST --queuePort $AZURITE_QUEUE_PORT \
  --tableHost $HOST --tablePort $AZURITE_TABLE_PORT \
  --location .dev/azurite \
  --skipApiVersionCheck --loose --silent \
  --disableTelemetry \
  </dev/null >"$LOG_DIR/azurite.log" 2>&1 &
azurite_pid=$!
started_pids+=("$azurite_pid")

echo "Starting MailDev..."
# --mail-directory keeps mail across runs and out of the <tmp>/maildev folder every other MailDev shares.
node_modules/.bin/maildev \
  --ip $HOST --smtp $SMTP_PORT \
  --web-ip $HOST --web $MAILDEV_WEB_PORT \
  --mail-directory .dev/maildev \
  </dev/null >"$LOG_DIR/maildev.log" 2>&1 &
maildev_pid=$!
started_pids+=("$maildev_pid")

wait_for_port Azurite "$azurite_pid" $AZURITE_BLOB_PORT "$LOG_DIR/azurite.log"
wait_for_port Azurite "$azurite_pid" $AZURITE_QUEUE_PORT "$LOG_DIR/azurite.log"
wait_for_port Azurite "$azurite_pid" $AZURITE_TABLE_PORT "$LOG_DIR/azurite.log"
wait_for_port MailDev "$maildev_pid" $SMTP_PORT "$LOG_DIR/maildev.log"
wait_for_port MailDev "$maildev_pid" $MAILDEV_WEB_PORT "$LOG_DIR/maildev.log"

echo "Starting the app (first run builds it)..."
# --no-launch-profile: a launchSettings.json must not override the URL and environment chosen here.
# The app's output goes to this terminal.
# The demo portal is served at localhost and calls the API at 127.0.0.1: two origins, so the browser's calls go through
# CORS as a real portal's would. Its identity provider is this app's own /dev/oidc.
ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development Demo__Seed=true \
  BrowserAccess__Authority="$APP_URL/dev/oidc" BrowserAccess__AllowedOrigins__0="$PORTAL_ORIGIN" \
  DemoPortal__ApiBase="$APP_URL" DemoPortal__MailDevUrl="http://$HOST:$MAILDEV_WEB_PORT" \
  dotnet run --project src/TwoFactorFunctions.App --no-launch-profile -- --urls "$APP_URL" \
  </dev/null &
app_pid=$!
started_pids+=("$app_pid")

deadline=$((SECONDS + APP_STARTUP_TIMEOUT_SECONDS))
until curl --silent --fail --output /dev/null --max-time 2 "$APP_URL/api/health"; do
  kill -0 "$app_pid" 2>/dev/null || fail "the app exited during startup (see its output above)"
  ((SECONDS < deadline)) || fail "$APP_URL/api/health did not answer within ${APP_STARTUP_TIMEOUT_SECONDS}s"
  sleep 1
done

cat <<INFO

Ready.
  Portal:   $PORTAL_ORIGIN/demo/  (demo company; every demo user's password: Demo-portal-2026)
  API:      $APP_URL/api
  OpenAPI:  $APP_URL/openapi/v1.json
  MailDev:  http://$HOST:$MAILDEV_WEB_PORT  (SMTP $HOST:$SMTP_PORT)
  Azurite:  blob $AZURITE_BLOB_PORT, queue $AZURITE_QUEUE_PORT, table $AZURITE_TABLE_PORT (UseDevelopmentStorage=true)
Press Ctrl-C to stop.

INFO

# Stay up while everything runs; if one of them dies, stop the rest rather than leave a half-working setup.
while true; do
  kill -0 "$azurite_pid" 2>/dev/null || fail "Azurite stopped unexpectedly (log: $LOG_DIR/azurite.log)"
  kill -0 "$maildev_pid" 2>/dev/null || fail "MailDev stopped unexpectedly (log: $LOG_DIR/maildev.log)"
  kill -0 "$app_pid" 2>/dev/null || fail "the app stopped unexpectedly"
  sleep 1
done
