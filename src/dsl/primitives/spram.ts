// SB_SPRAM256KA: the UltraPlus 16K x 16 single-port RAM. Model of yosys's
// ice40/cells_sim.v for the normal operating mode (STANDBY=0, SLEEP=0,
// POWEROFF=1): with CHIPSELECT, a read (WREN=0) registers mem[ADDRESS] into
// DATAOUT; a write stores the nibbles enabled in MASKWREN. During a write the
// vendor model makes DATAOUT undefined; this model keeps its previous value.
// Contents start at zero here (undefined in the vendor model): write before read.

import { Primitive, type PrimitiveDef, type PrimPort, type PrimSimInstance } from './types.ts';

const PORTS: PrimPort[] = [
  { name: 'CLOCK', dir: 'in', width: 1, clock: true },
  { name: 'ADDRESS', dir: 'in', width: 14, default: 0n },
  { name: 'DATAIN', dir: 'in', width: 16, default: 0n },
  { name: 'MASKWREN', dir: 'in', width: 4, default: 0xfn },
  { name: 'WREN', dir: 'in', width: 1, default: 0n },
  { name: 'CHIPSELECT', dir: 'in', width: 1, default: 1n },
  { name: 'STANDBY', dir: 'in', width: 1, default: 0n },
  { name: 'SLEEP', dir: 'in', width: 1, default: 0n },
  { name: 'POWEROFF', dir: 'in', width: 1, default: 1n },
  { name: 'DATAOUT', dir: 'out', width: 16 },
];

export const SPRAM_DEPTH = 16384;

class SpramSim implements PrimSimInstance {
  readonly ins = new Int32Array(8);
  readonly outs = new Int32Array(1);
  readonly mem = new Uint16Array(SPRAM_DEPTH);
  private dataout = 0;

  reset(): void {
    this.mem.fill(0);
    this.dataout = 0;
  }

  comb(): void {
    const I = this.ins;
    // SLEEP or power-off force DATAOUT to 0 asynchronously.
    this.outs[0] = I[6]! || !I[7]! ? 0 : this.dataout;
  }

  tick(): void {
    const I = this.ins;
    const addr = I[0]! & 0x3fff;
    if (I[6]! || !I[7]!) {
      this.dataout = 0;
      return;
    }
    if (I[5]! || !I[4]!) return; // standby or not selected
    if (!I[3]!) {
      this.dataout = this.mem[addr]!;
      return;
    }
    const m = I[2]!;
    const mask = (m & 1 ? 0xf : 0) | (m & 2 ? 0xf0 : 0) | (m & 4 ? 0xf00 : 0) | (m & 8 ? 0xf000 : 0);
    this.mem[addr] = (this.mem[addr]! & ~mask) | (I[1]! & mask);
  }
}

export const SB_SPRAM256KA: PrimitiveDef = {
  type: 'SB_SPRAM256KA',
  ports: PORTS,
  combInputs: () => ['SLEEP', 'POWEROFF'],
  createSim: () => new SpramSim(),
};

/** One SPRAM block; connect ADDRESS, DATAIN, MASKWREN, WREN, CHIPSELECT. */
export function spram(): Primitive {
  return new Primitive(SB_SPRAM256KA, {});
}
