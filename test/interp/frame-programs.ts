// Programs about call frames, shared by the interpreter's frame-isolation
// tests (test/interp/frames.test.ts) and the CPU's (test/cpu/frames.test.ts),
// so both engines are held to the same cases.

export const CALLEE_WRITES_CALLER = `
      stdw [%r10-8], 111
      call local f
      ldxdw %r0, [%r10-8]
      exit
    f:
      mov %r1, 222
      stxdw [%r10+504], %r1
      exit`;

export const POINTER_INTO_CALLER = `
      stdw [%r10-8], 40
      mov %r1, %r10
      add %r1, -8
      call local f
      ldxdw %r0, [%r10-8]
      exit
    f:
      ldxdw %r2, [%r1]
      add %r2, 2
      stxdw [%r1], %r2
      exit`;

export const RETURNED_CALLEE_FRAME = `
      mov %r6, %r10
      call local f
      ldxdw %r0, [%r6-520]
      exit
    f:
      stdw [%r10-8], 77
      mov %r0, 0
      exit`;

export const BELOW_THE_FRAME = 'mov %r1, %r10\nadd %r1, -600\nstdw [%r1+0], 1\nmov %r0, 0\nexit';
