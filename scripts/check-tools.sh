#!/usr/bin/env bash
# Checks the system tools bpfgate's tests and flows need, and installs the
# missing ones when asked (--install, as root on Debian). Prints exactly what is
# missing otherwise, so nobody has to guess.
set -euo pipefail

# tool -> Debian package
declare -A PKG=(
  [clang]=clang
  [llvm-mc]=llvm
  [llvm-objdump]=llvm
  [verilator]=verilator
  [iverilog]=iverilog
  [vvp]=iverilog
  [icebox_vlog]=fpga-icestorm
  [iceunpack]=fpga-icestorm
  [icetime]=fpga-icestorm
  [iceprog]=fpga-icestorm
  [yosys]=yosys
  [make]=make
  [g++]=g++
  [cc]=gcc
  [python3]=python3
  # headless browser for the playground test (test/web), driven by puppeteer-core
  [chromium]=chromium
)

missing_pkgs=()
missing_tools=()
for tool in "${!PKG[@]}"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    missing_tools+=("$tool")
    missing_pkgs+=("${PKG[$tool]}")
  fi
done

# header -> Debian package (XDP test programs written as real projects write them include libbpf's headers)
declare -A HEADER_PKG=(
  [/usr/include/bpf/bpf_helpers.h]=libbpf-dev
)
for header in "${!HEADER_PKG[@]}"; do
  if [ ! -e "$header" ]; then
    missing_tools+=("$header")
    missing_pkgs+=("${HEADER_PKG[$header]}")
  fi
done

if [ ${#missing_tools[@]} -eq 0 ]; then
  echo "tools: all present"
  exit 0
fi

pkgs=$(printf '%s\n' "${missing_pkgs[@]}" | sort -u | tr '\n' ' ')
if [ "${1:-}" = "--install" ]; then
  echo "tools: installing ${pkgs}(missing: ${missing_tools[*]})"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $pkgs
  exit 0
fi

echo "tools: missing ${missing_tools[*]}" >&2
echo "       install them with: sudo apt-get install ${pkgs}" >&2
echo "       (or run: make setup)" >&2
exit 1
