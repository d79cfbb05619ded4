# cosearch — see README.md. `make test` and `make demo` work on a fresh Debian/Ubuntu machine with Node 20.
SHELL := /bin/bash
NODE_MODULES_STAMP := node_modules/.package-lock.json
APT_PACKAGES := yosys verilator iverilog dataset-fashion-mnist g++ make redis-server

.PHONY: setup deps system-deps build test demo bench clean

setup: system-deps deps build

# System packages: synthesis (yosys), RTL simulation (verilator, iverilog), the default dataset, redis-server (the
# Redis job queue's tests start their own on a loopback port).
# Installed with apt where available and permitted; otherwise the tests that need them say what is missing.
system-deps:
	@missing=""; \
	for t in yosys verilator iverilog g++ redis-server; do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || missing="$$missing dataset-fashion-mnist"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	  elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	  else echo "warning: missing system packages:$$missing (install them with your package manager)"; fi; \
	fi

$(NODE_MODULES_STAMP): package.json package-lock.json
	# npm ci rejects this lock (npm 11 records only this platform's optional rollup/esbuild binaries),
	# so install from the lock with npm install; optional tfjs-node(-gpu) fail to build offline and are skipped.
	npm install --no-audit --no-fund
	@touch $(NODE_MODULES_STAMP)

deps: $(NODE_MODULES_STAMP)

build: deps
	npx tsc -p tsconfig.json

test: setup
	npx vitest run

demo: setup
	node dist/src/cli/main.js --luts 30000 --fps 1000 --part xc7z020 --out runs/demo

bench: setup
	@for f in dist/bench/*.js; do echo "== $$f"; node $$f || exit 1; done

clean:
	rm -rf dist runs .tmp
