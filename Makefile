# bpfgate: the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs (or names) its own prerequisites.

BOARD ?= icebreaker
OUT   ?= build
NODE_MODULES := node_modules/.package-lock.json
BPFGATE := node bin/bpfgate.mjs

.PHONY: setup tools demo test typecheck conformance verilog bitstream cpu-size fuzz fuzz-inputs bench clean

$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Installs npm packages and, as root on Debian, the system tools (apt).
setup: $(NODE_MODULES)
	bash scripts/check-tools.sh --install

tools:
	@bash scripts/check-tools.sh

# The main job: the opcode suite on the interpreter and on the simulated CPU,
# the Verilog of the CPU and SoC, and a bitstream report for $(BOARD).
CONFORMANCE ?= ../shared/conformance

demo: setup
	$(BPFGATE) conformance $(CONFORMANCE)/tests --engine interp --quiet
	$(BPFGATE) conformance $(CONFORMANCE)/tests --engine sim --quiet
	$(BPFGATE) verilog --board $(BOARD) --out $(OUT)/verilog
	$(BPFGATE) build --board $(BOARD) --out $(OUT)/$(BOARD)
	@echo "demo: done (Verilog in $(OUT)/verilog, bitstream and its report in $(OUT)/$(BOARD))"

# All tests: typecheck, then vitest (unit tests, conformance, referees).
test: $(NODE_MODULES) tools
	npx tsc --noEmit
	npx vitest run

typecheck: $(NODE_MODULES)
	npx tsc --noEmit

conformance: $(NODE_MODULES)
	$(BPFGATE) conformance $(CONFORMANCE)/tests --engine interp --quiet
	$(BPFGATE) conformance $(CONFORMANCE)/tests --engine sim --quiet

verilog: $(NODE_MODULES)
	$(BPFGATE) verilog --board $(BOARD) --out $(OUT)/verilog

bitstream: $(NODE_MODULES)
	$(BPFGATE) build --board $(BOARD) --out $(OUT)/$(BOARD)

# LUT/FF/BRAM/DSP of the CPU core alone (yosys synth_ice40 for the UP5K).
cpu-size: $(NODE_MODULES)
	npx tsx src/toolchain/cpu-size.ts
	npx tsx src/toolchain/cpu-size.ts --dsp

# A long lockstep fuzzing run (CI runs 19,000 programs): make fuzz PROGRAMS=100000 SEED=1
# CONFIG=up5k (or any hdl/cpu/presets.ts name) fuzzes a shipped board build.
PROGRAMS ?= 100000
SEED ?= 1
CONFIG ?=
fuzz: $(NODE_MODULES)
	npx tsx src/engines/fuzz.ts --programs $(PROGRAMS) --seed $(SEED) $(if $(CONFIG),--config $(CONFIG))

# Input fuzzing (make test runs 10,000 cases per parser): N cases for each of
# asm, data, raw, elf, pcap, host, board, cli; TARGET=asm picks one, CASE=I
# replays one case of a run (the command a crash report prints).
N ?= 100000
TARGET ?=
CASE ?=
fuzz-inputs: $(NODE_MODULES)
	npx tsx src/fuzz-inputs/cli.ts --cases $(N) --seed $(SEED) $(if $(TARGET),--target $(TARGET)) $(if $(CASE),--case $(CASE))

bench: $(NODE_MODULES)
	npm run bench

clean:
	rm -rf $(OUT)
