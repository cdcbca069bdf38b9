#!/usr/bin/env bash
# gocloak.sh SRC_DIR: runs gocloak's own test suite (client_test.go and the
# rest of its root package) against kcdev built from this checkout, and
# prints "P passed, F failed".
#
# SRC_DIR is a checkout of github.com/Nerzal/gocloak (v14). The suite is
# written against Keycloak 26 started by gocloak's docker-compose.yml:
# bootstrap admin admin/secret, realm testdata/gocloak-realm.json, config
# read from GOCLOAK_TEST_CONFIG, features preview, organization and
# admin-fine-grained-authz:v1. kcdev is started the same way, on a free
# port; nothing of SRC_DIR is modified.
#
# Environment: GO (default go), GOCLOAK_RUN (a -run filter),
# GOCLOAK_JSON (write go test -json output to this file).
set -euo pipefail

if [ $# -ne 1 ] || [ ! -f "$1/client_test.go" ]; then
	echo "usage: $0 SRC_DIR (a checkout of github.com/Nerzal/gocloak with client_test.go)" >&2
	exit 2
fi
src=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
GO=${GO:-go}

work=$(mktemp -d)
kcdev_pid=
cleanup() {
	if [ -n "$kcdev_pid" ]; then
		kill "$kcdev_pid" 2>/dev/null || true
		wait "$kcdev_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

(cd "$root" && "$GO" build -o "$work/kcdev" ./cmd/kcdev)

KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=secret \
	"$work/kcdev" -addr 127.0.0.1:0 --import-realm "$src/testdata/gocloak-realm.json" \
	--features=preview,organization,admin-fine-grained-authz:v1 \
	>"$work/kcdev.log" 2>&1 &
kcdev_pid=$!

url=
for _ in $(seq 1 100); do
	url=$(sed -n 's/^kcdev listening on //p' "$work/kcdev.log")
	[ -n "$url" ] && break
	if ! kill -0 "$kcdev_pid" 2>/dev/null; then
		cat "$work/kcdev.log" >&2
		echo "gocloak.sh: kcdev exited before it was ready" >&2
		exit 1
	fi
	sleep 0.1
done
if [ -z "$url" ]; then
	echo "gocloak.sh: kcdev did not print its address" >&2
	exit 1
fi

cat >"$work/config.json" <<JSON
{
  "hostname": "$url",
  "admin": {"username": "admin", "password": "secret", "realm": "master"},
  "gocloak": {"username": "test", "password": "test", "realm": "gocloak",
              "client_id": "gocloak", "client_secret": "gocloak-secret"}
}
JSON

out=${GOCLOAK_JSON:-$work/test.json}
(cd "$src" && GOCLOAK_TEST_CONFIG="$work/config.json" GOFLAGS=-mod=mod \
	"$GO" test -count=1 -json -timeout 10m ${GOCLOAK_RUN:+-run "$GOCLOAK_RUN"} . >"$out" 2>"$work/test.err") || true

# Top-level tests only: subtests are counted with their parent.
passed=$(grep -c '"Action":"pass","Package":"[^"]*","Test":"[^"/]*","Elapsed"' "$out" || true)
failed=$(grep -c '"Action":"fail","Package":"[^"]*","Test":"[^"/]*","Elapsed"' "$out" || true)
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
	cat "$work/test.err" >&2
	echo "gocloak.sh: go test ran no test" >&2
	exit 1
fi
echo "$passed passed, $failed failed"
