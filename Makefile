# kc: make demo (a tour of the library), make test (what CI runs).
GO ?= go
STATICCHECK_VERSION := v0.8.2
FUZZTIME ?= 20s

.PHONY: test lint demo bench bench-compare cover fuzz kcdev

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

lint:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

demo:
	$(GO) run ./examples/tour

kcdev:
	$(GO) run ./cmd/kcdev

bench:
	$(GO) test -run='^$$' -bench=. -benchmem -count=6 ./... | tee bench.out
	cd benchmarks && $(GO) test -run='^$$' -bench=. -benchmem -count=6 ./... | tee ../bench-compare.out
	$(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da bench.out bench-compare.out

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
