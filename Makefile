# kc: make demo (a tour of the library), make test (what CI runs).
GO ?= go
STATICCHECK_VERSION := v0.8.2
FUZZTIME ?= 20s
BENCHSTAT := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
BENCH_ROUNDS ?= 6

.PHONY: test lint demo bench bench-all cover fuzz kcdev compat-js

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	cd benchmarks && $(GO) vet ./... && $(GO) test -count=1 ./...
	cd compat && $(GO) vet ./... && $(GO) test -race -count=1 ./...

lint:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	cd compat && $(GO) vet ./... && $(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

demo:
	$(GO) run ./examples/tour

kcdev:
	$(GO) run ./cmd/kcdev

# compat-js: the official Node admin client (@keycloak/keycloak-admin-client,
# pinned in compat/js/package-lock.json) against kcdev built from this
# checkout. Needs node (20 or newer) and npm; see docs/compat.md.
compat-js:
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
	  echo "compat-js: node (20 or newer) and npm are required: install Node.js to run the admin-client test against kcdev" >&2; exit 1; }
	@node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' || { \
	  echo "compat-js: node $$(node --version) is too old: Node.js 20 or newer is required" >&2; exit 1; }
	cd compat/js && npm ci --no-audit --no-fund
	$(GO) build -o compat/js/.bin/kcdev ./cmd/kcdev
	cd compat/js && KCDEV_BIN="$$PWD/.bin/kcdev" node --test admin-client.test.mjs

# bench: the comparisons BENCHMARKS.md reports (benchmarks module: kc
# against go-oidc, golang-jwt, x/oauth2, net/http), in BENCH_ROUNDS
# interleaved rounds so that every side sees the same machine load, each
# round printed as it runs; then benchstat, the sides in columns. A few
# minutes. The walk of 100,000 users runs once per round.
# bench-all: everything: bench, then every package's own benchmarks.
BENCH_COMPARE := Verify|VerifyCache|ListUsers|ClientCredentials|TokenRequestsPerExpiry
BENCH_TIME ?= 1s

bench:
	@rm -f bench.out
	@cd benchmarks && for i in $$(seq $(BENCH_ROUNDS)); do \
	  echo "# round $$i of $(BENCH_ROUNDS)" >&2; \
	  { $(GO) test -run='^$$' -bench='$(BENCH_COMPARE)' -benchtime=$(BENCH_TIME) -benchmem -count=1 -timeout=30m . && \
	    $(GO) test -run='^$$' -bench=IterateUsers -benchtime=1x -benchmem -count=1 -timeout=30m .; \
	    echo $$? > ../bench-status.out; } | tee -a ../bench.out; \
	  [ "$$(cat ../bench-status.out)" = 0 ] || exit 1; \
	done
	@rm -f bench-status.out
	$(GO) run $(BENCHSTAT) -col /lib -filter '-.name:IterateUsers' bench.out
	$(GO) run $(BENCHSTAT) -col /how -filter '.name:IterateUsers' bench.out

bench-all: bench
	@{ $(GO) test -run='^$$' -bench=. -benchmem -count=$(BENCH_ROUNDS) ./...; echo $$? > bench-status.out; } | tee bench-packages.out; \
	  [ "$$(cat bench-status.out)" = 0 ]
	$(GO) run $(BENCHSTAT) bench-packages.out

cover:
	$(GO) test -race -coverprofile=coverage.out ./...
	$(GO) tool cover -func=coverage.out | tail -1

fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

include admin.mk
