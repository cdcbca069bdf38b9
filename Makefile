# kc: make demo (a tour of the library), make test (what CI runs).
GO ?= go
STATICCHECK_VERSION := v0.8.2
FUZZTIME ?= 20s
BENCHSTAT := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
BENCH_ROUNDS ?= 6

.PHONY: test lint demo bench bench-compare cover fuzz kcdev compat-js

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

# bench: the packages' own benchmarks, then the comparisons of the
# benchmarks module (kc against go-oidc, golang-jwt, x/oauth2, net/http),
# run in BENCH_ROUNDS interleaved rounds so that every side sees the same
# machine load; benchstat puts the sides in columns. See BENCHMARKS.md.
bench: bench-compare
	$(GO) test -run='^$$' -bench=. -benchmem -count=$(BENCH_ROUNDS) ./... > bench.out; s=$$?; cat bench.out; exit $$s
	$(GO) run $(BENCHSTAT) bench.out

bench-compare:
	cd benchmarks && for i in $$(seq $(BENCH_ROUNDS)); do \
	  $(GO) test -run='^$$' -bench=. -benchmem -count=1 -timeout=30m ./... || exit 1; \
	done > ../bench-compare.out; s=$$?; cat ../bench-compare.out; exit $$s
	$(GO) run $(BENCHSTAT) -col /lib -filter '-.name:IterateUsers' bench-compare.out
	$(GO) run $(BENCHSTAT) -col /how -filter '.name:IterateUsers' bench-compare.out

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
