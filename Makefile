# Studio Headshot. `make run` and `make test` each set up a fresh Debian/Ubuntu
# machine first (packages, ONNX Runtime, models); every step is idempotent.

SHELL := /bin/bash
GO ?= go
BIN := bin/studioheadshot

# Models come from a mirror folder when there is one beside the checkout.
ifneq ($(wildcard ../shared/models),)
export STUDIO_MODELS_MIRROR ?= $(abspath ../shared/models)
endif

.PHONY: setup setup-test build run test test-race test-ui smoke package vet bench clean

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
	cd internal/localeenv && $(GO) vet ./...

# The engine, models and app under the race detector; the root package
# drives the real binary (batch command end to end).
test: setup-test vet
	$(GO) test -race -count=1 -timeout 20m ./engine/... ./models/... ./app/... ./internal/...
	cd internal/localeenv && $(GO) test -count=1 ./...
	$(GO) test -count=1 -timeout 25m .
	$(GO) test -race -count=1 -timeout 20m -tags ci ./ui/
	$(GO) build -o $(BIN) . && scripts/smoke/smoke.sh

# The window: headless widget tests over the real app layer and models
# (Fyne's software driver, no display), under the race detector.
test-ui: setup-test
	$(GO) test -race -count=1 -timeout 20m -tags ci ./ui/

# The real binary on a virtual display: XDND drop, thumbnails, Ctrl+Enter;
# screenshots in bin/artifacts/. `scripts/smoke/smoke.sh --readme` also
# refreshes docs/screenshot.png.
smoke: setup-test
	$(GO) build -o $(BIN) .
	scripts/smoke/smoke.sh

# The Linux bundle (tar.xz: binary, .desktop entry, icon) in dist/, made by
# `fyne package` from fyne.io/tools (installed into bin/tools, go.mod left
# alone). fyne package bumps Build in FyneApp.toml; it is put back.
FYNE := bin/tools/fyne
FYNE_TOOLS := fyne.io/tools/cmd/fyne@v1.7.4
PACKAGE := dist/studioheadshot-linux-amd64.tar.xz

$(FYNE):
	GOBIN=$(abspath bin/tools) $(GO) install $(FYNE_TOOLS)

package: setup $(FYNE)
	@mkdir -p dist bin
	cp FyneApp.toml bin/FyneApp.toml.orig
	$(FYNE) package --os linux --release; status=$$?; \
		cp bin/FyneApp.toml.orig FyneApp.toml; rm -f fyne_metadata_init.go; exit $$status
	mv -f "Studio Headshot.tar.xz" $(PACKAGE)
	scripts/smoke/check_package.sh $(PACKAGE)
	@echo "package: $(PACKAGE)"

bench: setup-test
	$(GO) test -run '^$$' -bench . -benchtime 3x ./engine/...

clean:
	rm -rf bin
