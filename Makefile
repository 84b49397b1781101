# Studio Headshot. `make run` and `make test` each set up a fresh Debian/Ubuntu
# machine first (packages, ONNX Runtime, models); every step is idempotent.

SHELL := /bin/bash
GO ?= go
BIN := bin/studioheadshot

# Models come from a mirror folder when there is one beside the checkout.
ifneq ($(wildcard ../shared/models),)
export STUDIO_MODELS_MIRROR ?= $(abspath ../shared/models)
endif

.PHONY: setup setup-test build run test test-race test-ui vet bench clean

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

build: setup
	$(GO) build -o $(BIN) .

run: build
	./$(BIN)

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) vet -tags ci ./ui/...

# The engine, models and app under the race detector; the root package
# drives the real binary (batch command end to end).
test: setup-test vet
	$(GO) test -race -count=1 ./engine/... ./models/... ./app/...
	$(GO) test -count=1 .

bench: setup-test
	$(GO) test -run '^$$' -bench . -benchtime 3x ./engine/...

clean:
	rm -rf bin
