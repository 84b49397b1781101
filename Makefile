# Studio Headshot. `make run` and `make test` each set up a fresh Debian/Ubuntu
# machine first (packages, ONNX Runtime, models); every step is idempotent.

SHELL := /bin/bash
GO ?= go
BIN := bin/studioheadshot
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

# Models come from a mirror folder when there is one beside the checkout.
ifneq ($(wildcard ../shared/models),)
export STUDIO_MODELS_MIRROR ?= $(abspath ../shared/models)
endif

# HEIC and AVIF are decoded only by the WebAssembly libheif and libavif that
# gen2brain's packages embed, never by a system library they would dlopen when
# one happens to be installed: the same decoder on every machine, and a memory
# bug in it stays inside the sandbox (README, "Photos people have"). HEIC's
# copy in third_party/heic has no dynamic path at all; the tag does it for AVIF.
export GOFLAGS += -tags=nodynamic

.PHONY: setup setup-test build run test test-race test-ui smoke window-memory package package-windows vet bench clean gpu-bench crops

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

# Every look per device, photo count and size in one table, within 5 minutes
# (scripts/gpu-bench.sh --quick on a machine without a GPU).
gpu-bench: setup-test
	scripts/gpu-bench.sh

build: setup
	$(GO) build -o $(BIN) .

run: build
	./$(BIN)

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) vet -tags ci,nodynamic ./ui/...
	cd internal/localeenv && $(GO) vet ./...

# The engine subpackages, models and app under the race detector; the root package
# drives the real binary (batch command end to end).
# The engine package itself starts no goroutine (its concurrency, the worker
# pool and session cache, is raced through app and engine/ort), and its tests
# render whole portraits, which the race detector slows 3-5x (over 20 min):
# it runs plain, its cancellation tests raced.
test: setup-test vet
	$(GO) test -race -count=1 -timeout 20m $$($(GO) list ./engine/... | grep -vx studioheadshot/engine) ./models/... ./app/... ./internal/...
	$(GO) test -count=1 -timeout 20m ./engine/
	$(GO) test -race -count=1 -timeout 10m -run 'TestCancelStopsRunningInferencePromptly|TestHeadshotStopsPromptlyWhenCancelled' ./engine/
	cd internal/localeenv && $(GO) test -count=1 ./...
	$(GO) test -count=1 -timeout 25m .
	$(GO) test -race -count=1 -timeout 20m -tags ci,nodynamic ./ui/
	$(GO) build -o $(BIN) . && scripts/smoke/smoke.sh

# The window: headless widget tests over the real app layer and models
# (Fyne's software driver, no display), under the race detector.
test-ui: setup-test
	$(GO) test -race -count=1 -timeout 20m -tags ci,nodynamic ./ui/

# The real binary on a virtual display: XDND drop, thumbnails, Ctrl+Enter;
# screenshots in bin/artifacts/. `scripts/smoke/smoke.sh --readme` also
# refreshes docs/screenshot.png.
smoke: setup-test
	$(GO) build -o $(BIN) .
	scripts/smoke/smoke.sh

# Before | after full-size crops of the cut-out looks' hair and shoulders,
# in bin/artifacts/crops/ (scripts/crops.sh; about 4 minutes on 2 cores).
crops: setup-test
	scripts/crops.sh

# The window's resident memory after 8 photos dropped and applied, on
# Xvfb: prints peak and settled RSS, fails over 700 MB (README, "Measured";
# TestWindowMemoryAfterEightPhotos runs the same script).
window-memory: setup-test
	$(GO) build -o $(BIN) .
	scripts/window_memory.sh

# The Linux bundle in dist/: `fyne package` lays out the binary, .desktop
# entry, icon and install Makefile (fyne.io/tools, installed into bin/tools,
# go.mod left alone; it bumps Build in FyneApp.toml, which is put back), then
# scripts/package_linux.sh adds ONNX Runtime (usr/local/lib/studioheadshot)
# and its licence from the npm tarball set-up caches. The check unpacks it
# into an empty folder and runs it with no variables (see the script).
FYNE := bin/tools/fyne
FYNE_TOOLS := fyne.io/tools/cmd/fyne@v1.7.4
PACKAGE := dist/studioheadshot-linux-amd64.tar.xz
PACKAGE_WINDOWS := dist/studioheadshot-windows-amd64.zip
ORT_VERSION := 1.30.0
ORT_TGZ := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/studioheadshot/onnxruntime-node-$(ORT_VERSION).tgz

$(FYNE):
	GOBIN=$(abspath bin/tools) $(GO) install $(FYNE_TOOLS)

# set-up keeps the tarball only when it had to fetch the library.
$(ORT_TGZ):
	@mkdir -p $(dir $@)
	cd $(dir $@) && npm pack --ignore-scripts --silent onnxruntime-node@$(ORT_VERSION) >/dev/null

package: build $(FYNE) $(ORT_TGZ)
	@mkdir -p dist bin
	cp FyneApp.toml bin/FyneApp.toml.orig
	$(FYNE) package --os linux --release --exe $(BIN); status=$$?; \
		cp bin/FyneApp.toml.orig FyneApp.toml; rm -f fyne_metadata_init.go; exit $$status
	mv -f "Studio Headshot.tar.xz" bin/fyne-linux.tar.xz
	scripts/package_linux.sh bin/fyne-linux.tar.xz $(ORT_TGZ) $(PACKAGE)
	scripts/smoke/check_package.sh $(PACKAGE)
	@echo "package: $(PACKAGE)"

# The Windows zip, cross-built with mingw-w64 (gcc-mingw-w64-x86-64), and its
# check under wine on Xvfb (scripts/smoke/check_windows.sh installs wine and
# its ProcessPrng shim when missing).
package-windows: build $(ORT_TGZ)
	@command -v x86_64-w64-mingw32-gcc >/dev/null || $(SUDO) apt-get install -y gcc-mingw-w64-x86-64
	scripts/package_windows.sh $(ORT_TGZ) $(PACKAGE_WINDOWS)
	scripts/smoke/check_windows.sh $(PACKAGE_WINDOWS)
	@echo "package-windows: $(PACKAGE_WINDOWS)"

bench: setup-test
	$(GO) test -run '^$$' -bench . -benchtime 3x ./engine/... ./app/

clean:
	rm -rf bin
