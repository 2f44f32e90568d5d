#!/usr/bin/env bash
# Starts the app exactly as a newcomer would (`npm start`, no DATABASE_URL: embedded PostgreSQL), checks /health
# and that a recorded crime survives a restart, then stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=${SMOKE_PORT:-3999}
log=$(mktemp)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data" "$log"' EXIT

start() {
  env -u DATABASE_URL DATA_DIR="$data" PORT="$port" node dist/apps/api/src/main.js >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  cat "$log"; echo "smoke: app did not become healthy"; exit 1
}
stop() { kill -INT "$pid"; wait "$pid" || true; }

npm run build --silent
start
# Log in as the demo registrar the first start created (passwords are only in the data folder).
login() {
  local pw
  pw=$(awk '$1=="demo.registrar"{print $2}' "$data/demo-logins.txt")
  curl -fsS -X POST "http://127.0.0.1:$port/auth/login" -H 'content-type: application/json' \
    -d '{"username":"demo.registrar","password":"'"$pw"'"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
}
token=$(login)
ref="SMOKE-$RANDOM"
curl -fsS -X POST "http://127.0.0.1:$port/crimes" -H "authorization: Bearer $token" -H 'content-type: application/json' -d '{
  "forceId":"derbyshire","crimeReference":"'"$ref"'","offenceCode":"8L","reportedAt":"2019-06-01T09:00:00Z",
  "recordedAt":"2019-06-01T10:00:00Z","offenceFrom":"2019-05-30T10:00:00Z","onlineFlag":"yes",
  "onlineMethod":"abusive messages","victimAge":30,"victimSex":"female","status":"confirmed"}' >/dev/null
stop
start
token=$(login)
if ! curl -fsS -H "authorization: Bearer $token" "http://127.0.0.1:$port/crimes?limit=500" | grep -q "$ref"; then cat "$log"; echo "smoke: data did not survive a restart"; exit 1; fi
stop
echo "smoke: npm start on embedded PostgreSQL is healthy and keeps data across restarts"
