// Naming a board's fault codes. The identify reply says which numbering the
// board uses (faultSet); the numbering itself lives with the hardware that
// raises the faults, so it is imported from there rather than copied.

import { faultName as cpuFaultName } from '../../hdl/cpu/faults.ts';

/** faultSet of the bpfgate CPU (hdl/cpu/faults.ts). */
export const CPU_FAULT_SET = 1;
/** faultSet of the SoC's stand-in system (hdl/soc/standin-system.ts). */
export const STANDIN_FAULT_SET = 0xff;

/** The fault's name in the interpreter's vocabulary where there is one, else "fault code N". */
export function describeFault(faultSet: number, code: number): string {
  if (faultSet === CPU_FAULT_SET) return cpuFaultName(code) ?? `fault code ${code}`;
  if (faultSet === STANDIN_FAULT_SET && code === 1) return 'stand-in fault word';
  return `fault code ${code} (fault numbering ${faultSet})`;
}
