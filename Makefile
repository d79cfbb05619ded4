# cosearch — see README.md. `make test` and `make demo` work on a fresh Debian/Ubuntu machine with Node 20.
SHELL := /bin/bash
NODE_MODULES_STAMP := node_modules/.package-lock.json
APT_PACKAGES := yosys verilator iverilog dataset-fashion-mnist g++ make redis-server python3 python3-numpy

.PHONY: setup deps system-deps build test demo bench clean check-lock

setup: system-deps deps build

# System packages: synthesis (yosys), RTL simulation (verilator, iverilog), the default dataset, redis-server (the
# Redis job queue's tests start their own on a loopback port), python3 + numpy (the PYNQ driver's packing test, test/board).
# Installed with apt where available and permitted; otherwise the tests that need them say what is missing.
system-deps:
	@missing=""; \
	for t in yosys verilator iverilog g++ redis-server; do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || missing="$$missing dataset-fashion-mnist"; \
	python3 -c 'import numpy' 2>/dev/null || missing="$$missing python3-numpy"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	  elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	  else echo "warning: missing system packages:$$missing (install them with your package manager)"; fi; \
	fi

# A frozen install from the tracked lock (npm ci never rewrites it, so `git status` stays clean). The lock lists
# the optional platform binaries of every platform (rollup, esbuild); `make check-lock` fails when it would not.
# Optional tfjs-node(-gpu) may fail to build offline; npm skips them and TF.js falls back to wasm.
$(NODE_MODULES_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NODE_MODULES_STAMP)

deps: $(NODE_MODULES_STAMP)

build: deps
	npx tsc -p tsconfig.json

test: setup
	npx vitest run

demo: setup
	node dist/src/cli/main.js --luts 30000 --fps 1000 --part xc7z020 --out runs/demo --synth yosys

bench: setup
	@for f in dist/bench/*.js; do echo "== $$f"; node $$f || exit 1; done

# The lock is complete and in sync with package.json: npm ci accepts it and re-resolving changes nothing.
# Update it with `npm install --package-lock-only --no-audit --no-fund` in a clean clone: a lock written by an
# `npm install` over an existing node_modules keeps only this platform's optional binaries (npm/cli#4828), and
# npm ci then refuses it ("Missing: @rollup/rollup-darwin-arm64 from lock file").
check-lock:
	@d=$$(mktemp -d) && cp package.json package-lock.json $$d/ && cd $$d && \
	  npm ci --dry-run --ignore-scripts --no-audit --no-fund >/dev/null 2>&1 && \
	  npm install --package-lock-only --prefer-offline --ignore-scripts --no-audit --no-fund >/dev/null 2>&1 && \
	  cmp -s package-lock.json $(CURDIR)/package-lock.json && echo "package-lock.json: complete and in sync" || \
	  { echo "package-lock.json is out of sync or incomplete (see the comment above check-lock)"; exit 1; }

clean:
	rm -rf dist runs .tmp
