// Examples shown by `bpfgate --help` (commander's addHelpText), kept apart so
// main.ts stays wiring only.

export const EXAMPLES = `
Examples:
  bpfgate run prog.s --mem-hex "01 02 03 04"      run on the interpreter, input bytes at r1
  bpfgate run prog.o --engine sim --max-insns 100000
                                                  the simulated CPU, with an instruction budget
  bpfgate asm prog.s -f words | bpfgate disasm -  assemble, then list the words back
  bpfgate disasm prog.bin                         list raw slots (bad slots shown as .raw)
  bpfgate xdp firewall.o --pcap trace.pcap        XDP verdicts for a capture
  bpfgate conformance --engine sim -q             the bpf_conformance suite on the CPU

Exit codes: 0 success, 1 error or mismatch, 2 the program faulted.
`;
