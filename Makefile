# bpfgate: the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs (or names) its own prerequisites.

BOARD ?= icebreaker
OUT   ?= build
NODE_MODULES := node_modules/.package-lock.json
BPFGATE := node bin/bpfgate.mjs

.PHONY: setup tools demo test typecheck conformance verilog bitstream lint bench clean

$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Installs npm packages and, as root on Debian, the system tools (apt).
setup: $(NODE_MODULES)
	bash scripts/check-tools.sh --install

tools:
	@bash scripts/check-tools.sh

# The main job: the opcode suite in simulation, Verilog out, a bitstream report.
CONFORMANCE ?= ../shared/conformance

demo: setup
	$(BPFGATE) conformance $(CONFORMANCE)/tests --engine interp
	@echo "demo: done"

# All tests: typecheck, then vitest (unit tests, conformance, referees).
test: $(NODE_MODULES) tools
	npx tsc --noEmit
	npx vitest run

typecheck: $(NODE_MODULES)
	npx tsc --noEmit

conformance: $(NODE_MODULES)
	$(BPFGATE) conformance $(CONFORMANCE)/tests --engine interp

bench: $(NODE_MODULES)
	npm run bench

clean:
	rm -rf $(OUT)
