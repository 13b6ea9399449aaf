// The loop the simulator-speed figures time (bench/cpu.ts in Node, the
// playground in a browser), so both measure the same program: about 9
// cycles per iteration on the default build, with ALU ops, a store and a
// load, and a backward branch.

export function speedLoopSource(iterations: number): string {
  return `
    mov %r0, 0
    mov %r1, ${iterations}
  loop:
    add %r0, %r1
    xor %r0, 0x5a5a
    stxdw [%r10-8], %r0
    ldxdw %r2, [%r10-8]
    sub %r1, 1
    jne %r1, 0, loop
    exit`;
}
