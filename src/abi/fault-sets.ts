// Naming a board's fault codes. The identify reply says which numbering the
// board uses (faultSet); the bpfgate CPU's numbering is src/abi/faults.ts.
// Another system behind the same host link (a test's stand-in) reports its
// own numbering, and its codes are shown as numbers.

import { faultName } from './faults.ts';

/** faultSet of the bpfgate CPU (src/abi/faults.ts). */
export const CPU_FAULT_SET = 1;

/** The fault's name in the interpreter's vocabulary where there is one, else "fault code N". */
export function describeFault(faultSet: number, code: number): string {
  if (faultSet === CPU_FAULT_SET) return faultName(code);
  return `fault code ${code} (fault numbering ${faultSet})`;
}
