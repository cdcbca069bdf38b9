#!/usr/bin/env bash
# gocloak.sh SRC [benchstat args]: lists users with kc's admin client, plain
# net/http + encoding/json and gocloak, side by side, against the benchmarks
# module's loopback kctest server, and prints benchstat with the sides in
# columns (-col /lib; further arguments are passed on to benchstat).
#
# SRC is a checkout of github.com/Nerzal/gocloak (v13 or v14; its go.mod names
# the module). gocloak is not a dependency of the benchmarks module (the
# module proxy this project builds with refuses it), and its source is never
# committed here. The script copies the benchmarks module and
# benchmarks/gocloak/list_gocloak_test.go (without its "ignore" build line)
# into a temporary directory, replaces github.com/kcgo/kc with this checkout
# and gocloak with SRC, runs go mod tidy (gocloak's own dependencies come
# from the module proxy), checks that the three sides list the same users
# (TestListUsersGocloakSidesAgree), then runs BENCH_ROUNDS interleaved rounds
# of BenchmarkListUsersGocloak (n=1 and n=1000; lib=kc, lib=plain,
# lib=gocloak; -benchmem, cpu-ns/op from getrusage as the other benchmarks
# report it), each round printed as it runs. Nothing of SRC is modified.
#
# Environment: GO (default go), BENCH_ROUNDS (default 6), BENCH_TIME
# (-benchtime, default 1s), BENCH_OUT (the raw results, default
# bench-gocloak.out at the root of the repository), BENCHSTAT (the benchstat
# to go run, default the version the Makefile pins).
set -euo pipefail

usage() {
	echo "usage: $0 SRC [benchstat args]" >&2
	echo "  SRC: a checkout of github.com/Nerzal/gocloak (v13 or v14), e.g." >&2
	echo "       git clone https://github.com/Nerzal/gocloak /tmp/gocloak && $0 /tmp/gocloak" >&2
}
if [ $# -lt 1 ]; then
	usage
	exit 2
fi
if [ ! -d "$1" ]; then
	echo "gocloak.sh: $1 is not a directory" >&2
	usage
	exit 2
fi
src=$(cd "$1" && pwd)
shift
mod=$(sed -n 's/^module[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' "$src/go.mod" 2>/dev/null | head -1 || true)
case "$mod" in
github.com/Nerzal/gocloak/v13 | github.com/Nerzal/gocloak/v14) ;;
"")
	echo "gocloak.sh: $src/go.mod is missing or names no module; SRC must be a checkout of github.com/Nerzal/gocloak" >&2
	usage
	exit 2
	;;
*)
	echo "gocloak.sh: $src/go.mod is module $mod; SRC must be github.com/Nerzal/gocloak/v13 or /v14" >&2
	usage
	exit 2
	;;
esac
if ! grep -q 'func (g \*GoCloak) GetUsers(ctx context.Context, token, realm string, params GetUsersParams)' "$src"/*.go 2>/dev/null; then
	echo "gocloak.sh: $src has no GoCloak.GetUsers(ctx, token, realm, GetUsersParams); is it gocloak v13 or v14?" >&2
	exit 2
fi

bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/.." && pwd)
GO=${GO:-go}
BENCH_ROUNDS=${BENCH_ROUNDS:-6}
BENCH_TIME=${BENCH_TIME:-1s}
BENCH_OUT=${BENCH_OUT:-$root/bench-gocloak.out}
BENCHSTAT=${BENCHSTAT:-golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da}

version=$mod
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	version="$mod $(git -C "$src" describe --tags --always 2>/dev/null) ($(git -C "$src" rev-parse HEAD))"
fi
echo "gocloak.sh: gocloak $version from $src" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The benchmarks module as it is committed (go.mod, go.sum, the package's
# files; not the gocloak directory), and the gocloak benchmark, without its
# build line and importing SRC's module path.
find "$bench" -maxdepth 1 -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) -exec cp {} "$work"/ \;
sed -e '/^\/\/go:build ignore$/d' \
	-e "s#\"github.com/Nerzal/gocloak/v14\"#\"$mod\"#" \
	"$bench/gocloak/list_gocloak_test.go" >"$work/list_gocloak_test.go"

export GOWORK=off GOFLAGS=-mod=mod
(
	cd "$work"
	"$GO" mod edit -replace "github.com/kcgo/kc=$root" -replace "$mod=$src"
	"$GO" mod tidy
	"$GO" vet .
	"$GO" test -c -o "$work/bench.test" .
)

echo "gocloak.sh: checking that kc, plain net/http and gocloak list the same users" >&2
(cd "$work" && ./bench.test -test.run='^TestListUsersGocloakSidesAgree$' -test.count=1)

{
	echo "gocloak: $version"
	echo "go: $("$GO" env GOVERSION)"
} >"$BENCH_OUT"
for i in $(seq "$BENCH_ROUNDS"); do
	echo "# round $i of $BENCH_ROUNDS" >&2
	if ! (cd "$work" && ./bench.test -test.run='^$' -test.bench='^BenchmarkListUsersGocloak$' \
		-test.benchtime="$BENCH_TIME" -test.benchmem -test.count=1) | tee -a "$BENCH_OUT"; then
		echo "gocloak.sh: round $i failed" >&2
		exit 1
	fi
done

echo "gocloak.sh: raw results in $BENCH_OUT" >&2
(cd "$root" && "$GO" run "$BENCHSTAT" -col /lib "$@" "$BENCH_OUT")
