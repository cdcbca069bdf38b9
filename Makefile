# kc: make demo (a tour of the library), make test (what CI runs).
GO ?= go
STATICCHECK_VERSION := v0.8.2
FUZZTIME ?= 20s
BENCHSTAT := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
BENCH_ROUNDS ?= 6

.PHONY: test lint demo bench bench-all bench-gocloak cover fuzz kcdev compat-js

# test: about 5 minutes warm on 2 cores (see README), mostly the race
# tests of kctest and admin; each step says what it runs before it runs it.
test:
	@echo "test: 1/4 go vet ./... (module kc)"
	$(GO) vet ./...
	@echo "test: 2/4 go test -race ./... (module kc; kctest and admin take longest)"
	$(GO) test -race -count=1 ./...
	@echo "test: 3/4 vet and test the benchmarks module (no benchmarks run)"
	cd benchmarks && $(GO) vet ./... && $(GO) test -count=1 ./...
	@echo "test: 4/4 vet and test the compat module (third-party clients against kctest and kcdev)"
	cd compat && $(GO) vet ./... && $(GO) test -race -count=1 ./...
	@echo "test: all passed"

lint:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	cd compat && $(GO) vet ./... && $(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

# demo: the first run compiles the tour (a few minutes on 2 cores); then a
# few seconds.
demo:
	@echo "demo: building and running ./examples/tour (the first build takes a few minutes)"
	$(GO) run ./examples/tour

# kcdev: the demo realm of testdata/ imported, so that the README's curl
# lines work. The bootstrap admin is "admin" with a random password printed
# once, unless KC_BOOTSTRAP_ADMIN_USERNAME and KC_BOOTSTRAP_ADMIN_PASSWORD
# are set. KCDEV_ADDR picks the address (default 127.0.0.1:8080).
kcdev:
	@echo "kcdev: building cmd/kcdev, then serving realm demo (testdata/realms/demo-realm.json); Ctrl-C stops it"
	$(GO) run ./cmd/kcdev --import-realm testdata/realms/demo-realm.json

# compat-js: the official Node admin client (@keycloak/keycloak-admin-client,
# pinned in compat/js/package-lock.json) against kcdev built from this
# checkout. Needs node (20 or newer) and npm; see docs/compat.md.
compat-js:
	@echo "compat-js: npm ci, build kcdev, run the Node admin client's test (a minute or two)"
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
	@echo "bench: $(BENCH_ROUNDS) rounds of the comparisons, then benchstat (a few minutes)"
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

# bench-gocloak: list 1 and 1,000 users with kc, plain net/http +
# encoding/json and gocloak (BenchmarkListUsersGocloak), BENCH_ROUNDS
# interleaved rounds, then benchstat -col /lib. gocloak is not a dependency
# of any module here: GOCLOAK_SRC is a checkout of github.com/Nerzal/gocloak
# (v13 or v14) that benchmarks/gocloak.sh replaces it with, in a temporary
# copy of the benchmarks module. About a minute for 3 rounds.
bench-gocloak:
	@[ -n "$(GOCLOAK_SRC)" ] || { echo "bench-gocloak: set GOCLOAK_SRC to a checkout of github.com/Nerzal/gocloak (v13 or v14), e.g. git clone https://github.com/Nerzal/gocloak /tmp/gocloak && make bench-gocloak GOCLOAK_SRC=/tmp/gocloak" >&2; exit 2; }
	GO="$(GO)" BENCH_ROUNDS=$(BENCH_ROUNDS) BENCH_TIME=$(BENCH_TIME) BENCHSTAT=$(BENCHSTAT) benchmarks/gocloak.sh "$(GOCLOAK_SRC)"

bench-all: bench
	@{ $(GO) test -run='^$$' -bench=. -benchmem -count=$(BENCH_ROUNDS) ./...; echo $$? > bench-status.out; } | tee bench-packages.out; \
	  [ "$$(cat bench-status.out)" = 0 ]
	$(GO) run $(BENCHSTAT) bench-packages.out

cover:
	@echo "cover: every test under -race with a coverage profile (as long as make test's step 2)"
	$(GO) test -race -coverprofile=coverage.out ./...
	$(GO) tool cover -func=coverage.out | tail -1

fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

include admin.mk
