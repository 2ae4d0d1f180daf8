#!/usr/bin/env bash
# Prepare a PostgreSQL server for a tambo (see docs/SERVER.md). Run on the server, as root or as
# the postgres user:
#
#   bash setup-server.sh create [DB] [OWNER] [APP]   roles and database; asks for the two passwords
#   bash setup-server.sh grant  [DB] [OWNER] [APP]   privileges, after `tambo-cli migrate-to` and after each upgrade
#
# Defaults: DB=tambo OWNER=tambo_owner APP=tambo_app. PSQL may point at another psql binary;
# PGHOST/PGPORT/PGUSER are honoured (default: the local server as postgres).
set -euo pipefail
step=${1:-}
db=${2:-tambo} owner=${3:-tambo_owner} app=${4:-tambo_app}
here=$(cd "$(dirname "$0")" && pwd)
psql=${PSQL:-psql}
case "$step" in
  create)
    if [ -z "${TAMBO_OWNER_PASSWORD:-}" ]; then read -rsp "Contraseña de $owner: " TAMBO_OWNER_PASSWORD; echo; fi
    if [ -z "${TAMBO_APP_PASSWORD:-}" ]; then read -rsp "Contraseña de $app: " TAMBO_APP_PASSWORD; echo; fi
    ;;
  grant) TAMBO_OWNER_PASSWORD="" TAMBO_APP_PASSWORD="" ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
as_postgres=()
if [ "$(id -u)" -eq 0 ] && [ -z "${PGUSER:-}" ]; then as_postgres=(runuser -u postgres --); fi
"${as_postgres[@]}" "$psql" -X -q -d postgres -v step="$step" -v db="$db" -v owner="$owner" -v app="$app" \
  -v owner_password="$TAMBO_OWNER_PASSWORD" -v app_password="$TAMBO_APP_PASSWORD" -f "$here/setup-server.sql"
echo "listo: $step ($db, $owner, $app)"
