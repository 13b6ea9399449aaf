// SB_MAC16, the iCE40 UltraPlus DSP block. The simulation model follows
// yosys's ice40/cells_sim.v line by line (the referee checks it against that
// file in Icarus), including the optional input/pipeline/output registers and
// the accumulator adders. NEG_TRIGGER=1 (falling-edge clocking) is rejected:
// the DSL has one rising-edge domain.

import { Primitive, type ParamValue, type PrimitiveDef, type PrimPort, type PrimSimInstance } from './types.ts';

const IN1 = ['CE', 'AHOLD', 'BHOLD', 'CHOLD', 'DHOLD', 'IRSTTOP', 'IRSTBOT', 'ORSTTOP', 'ORSTBOT', 'OLOADTOP', 'OLOADBOT', 'ADDSUBTOP', 'ADDSUBBOT', 'OHOLDTOP', 'OHOLDBOT', 'CI', 'ACCUMCI', 'SIGNEXTIN'];

const PORTS: PrimPort[] = [
  { name: 'CLK', dir: 'in', width: 1, clock: true },
  { name: 'C', dir: 'in', width: 16, default: 0n },
  { name: 'A', dir: 'in', width: 16, default: 0n },
  { name: 'B', dir: 'in', width: 16, default: 0n },
  { name: 'D', dir: 'in', width: 16, default: 0n },
  ...IN1.map((name) => ({ name, dir: 'in' as const, width: 1, default: name === 'CE' ? 1n : 0n })),
  { name: 'O', dir: 'out', width: 32 },
  { name: 'CO', dir: 'out', width: 1 },
  { name: 'ACCUMCO', dir: 'out', width: 1 },
  { name: 'SIGNEXTOUT', dir: 'out', width: 1 },
];

const PARAM_WIDTHS: Record<string, number> = {
  NEG_TRIGGER: 1, C_REG: 1, A_REG: 1, B_REG: 1, D_REG: 1, TOP_8x8_MULT_REG: 1, BOT_8x8_MULT_REG: 1,
  PIPELINE_16x16_MULT_REG1: 1, PIPELINE_16x16_MULT_REG2: 1, TOPOUTPUT_SELECT: 2, TOPADDSUB_LOWERINPUT: 2,
  TOPADDSUB_UPPERINPUT: 1, TOPADDSUB_CARRYSELECT: 2, BOTOUTPUT_SELECT: 2, BOTADDSUB_LOWERINPUT: 2,
  BOTADDSUB_UPPERINPUT: 1, BOTADDSUB_CARRYSELECT: 2, MODE_8x8: 1, A_SIGNED: 1, B_SIGNED: 1,
};

type P = Record<string, number>;

function params(p: Record<string, ParamValue>): P {
  const out: P = {};
  for (const k of Object.keys(PARAM_WIDTHS)) out[k] = Number(p[k] ?? 0);
  return out;
}

const sx8 = (v: number): number => ((v & 0xff) ^ 0x80) - 0x80;

class Mac16Sim implements PrimSimInstance {
  readonly ins = new Int32Array(PORTS.filter((p) => p.dir === 'in' && !p.clock).length);
  readonly outs = new Int32Array(4);
  // Stored register values (before the asynchronous resets are applied).
  private rC = 0; private rA = 0; private rB = 0; private rD = 0;
  private rF = 0; private rJ = 0; private rK = 0; private rG = 0;
  private rH = 0; private rQ = 0; private rS = 0;
  // Comb values kept for tick().
  private pF = 0; private pJ = 0; private pK = 0; private pG = 0; private iL = 0; private iP = 0; private iR = 0;

  constructor(private readonly p: P) {}

  reset(): void {
    this.rC = this.rA = this.rB = this.rD = this.rF = this.rJ = this.rK = this.rG = this.rH = this.rQ = this.rS = 0;
  }

  comb(): void {
    const p = this.p;
    const I = this.ins;
    const C = I[0]!, A = I[1]!, B = I[2]!, D = I[3]!;
    const IRSTTOP = I[9]!, IRSTBOT = I[10]!, ORSTTOP = I[11]!, ORSTBOT = I[12]!, OLOADTOP = I[13]!, OLOADBOT = I[14]!;
    const ADDSUBTOP = I[15]!, ADDSUBBOT = I[16]!, CI = I[19]!, ACCUMCI = I[20]!, SIGNEXTIN = I[21]!;
    const top = IRSTTOP ? 0 : 1;
    const bot = IRSTBOT ? 0 : 1;
    const iC = p.C_REG ? this.rC * top : C;
    const iA = p.A_REG ? this.rA * top : A;
    const iB = p.B_REG ? this.rB * bot : B;
    const iD = p.D_REG ? this.rD * bot : D;
    const Ah = p.A_SIGNED ? sx8(iA >> 8) & 0xffff : (iA >> 8) & 0xff;
    const Al = p.A_SIGNED && p.MODE_8x8 ? sx8(iA) & 0xffff : iA & 0xff;
    const Bh = p.B_SIGNED ? sx8(iB >> 8) & 0xffff : (iB >> 8) & 0xff;
    const Bl = p.B_SIGNED && p.MODE_8x8 ? sx8(iB) & 0xffff : iB & 0xff;
    this.pF = Math.imul(Ah, Bh) & 0xffff;
    this.pJ = Math.imul(Al & 0xff, Bh) & 0xffff;
    this.pK = Math.imul(Ah, Bl & 0xff) & 0xffff;
    this.pG = Math.imul(Al, Bl) & 0xffff;
    const iF = p.TOP_8x8_MULT_REG ? this.rF * top : this.pF;
    const iJ = p.PIPELINE_16x16_MULT_REG1 ? this.rJ * top : this.pJ;
    const iK = p.PIPELINE_16x16_MULT_REG1 ? this.rK * bot : this.pK;
    const iG = p.BOT_8x8_MULT_REG ? this.rG * bot : this.pG;
    const iKe = p.A_SIGNED && iK & 0x8000 ? iK | 0xff0000 : iK;
    const iJe = p.B_SIGNED && iJ & 0x8000 ? iJ | 0xff0000 : iJ;
    this.iL = (iG + (iKe << 8) + (iJe << 8) + (iF << 16)) | 0;
    const iH = p.PIPELINE_16x16_MULT_REG2 ? (IRSTBOT ? 0 : this.rH) : this.iL;
    const iQ = ORSTTOP ? 0 : this.rQ;
    const iS = ORSTBOT ? 0 : this.rS;
    // Bottom half first: the top carry-in may come from it.
    const iY = p.BOTADDSUB_UPPERINPUT ? iD : iS;
    const iZ = [iB, iG, iH & 0xffff, SIGNEXTIN ? 0xffff : 0][p.BOTADDSUB_LOWERINPUT]!;
    const LCI = [0, 1, ACCUMCI, CI][p.BOTADDSUB_CARRYSELECT]!;
    const subB = ADDSUBBOT ? 0xffff : 0;
    const sumB = iZ + ((iY ^ subB) & 0xffff) + LCI;
    const LCO = (sumB >> 16) & 1;
    this.iR = OLOADBOT ? iD : (sumB ^ subB) & 0xffff;
    const Ol = [this.iR, iS, iG, iH & 0xffff][p.BOTOUTPUT_SELECT]!;
    const iW = p.TOPADDSUB_UPPERINPUT ? iC : iQ;
    const iX = [iA, iF, (iH >>> 16) & 0xffff, iZ & 0x8000 ? 0xffff : 0][p.TOPADDSUB_LOWERINPUT]!;
    const HCI = [0, 1, LCO, LCO ^ (ADDSUBBOT ? 1 : 0)][p.TOPADDSUB_CARRYSELECT]!;
    const subT = ADDSUBTOP ? 0xffff : 0;
    const sumT = iX + ((iW ^ subT) & 0xffff) + HCI;
    const ACCUMCO = (sumT >> 16) & 1;
    this.iP = OLOADTOP ? iC : (sumT ^ subT) & 0xffff;
    const Oh = [this.iP, iQ, iF, (iH >>> 16) & 0xffff][p.TOPOUTPUT_SELECT]!;
    this.outs[0] = (Oh << 16) | Ol;
    this.outs[1] = ACCUMCO ^ (ADDSUBTOP ? 1 : 0);
    this.outs[2] = ACCUMCO;
    this.outs[3] = (iX >> 15) & 1;
  }

  tick(): void {
    this.comb();
    const I = this.ins;
    const C = I[0]!, A = I[1]!, B = I[2]!, D = I[3]!, CE = I[4]!, AHOLD = I[5]!, BHOLD = I[6]!, CHOLD = I[7]!, DHOLD = I[8]!;
    const IRSTTOP = I[9]!, IRSTBOT = I[10]!, ORSTTOP = I[11]!, ORSTBOT = I[12]!, OHOLDTOP = I[17]!, OHOLDBOT = I[18]!;
    const m8 = this.p.MODE_8x8;
    if (IRSTTOP) this.rC = this.rA = this.rF = this.rJ = 0;
    else if (CE) {
      if (!CHOLD) this.rC = C;
      if (!AHOLD) this.rA = A;
      this.rF = this.pF;
      if (!m8) this.rJ = this.pJ;
    }
    if (IRSTBOT) this.rB = this.rD = this.rK = this.rG = this.rH = 0;
    else if (CE) {
      if (!BHOLD) this.rB = B;
      if (!DHOLD) this.rD = D;
      if (!m8) this.rK = this.pK;
      this.rG = this.pG;
      if (!m8) this.rH = this.iL;
    }
    if (ORSTTOP) this.rQ = 0;
    else if (CE && !OHOLDTOP) this.rQ = this.iP;
    if (ORSTBOT) this.rS = 0;
    else if (CE && !OHOLDBOT) this.rS = this.iR;
  }
}

export const SB_MAC16: PrimitiveDef = {
  type: 'SB_MAC16',
  ports: PORTS,
  paramWidths: PARAM_WIDTHS,
  checkParams(p) {
    for (const k of Object.keys(p)) if (!(k in PARAM_WIDTHS)) throw new Error(`SB_MAC16 has no parameter ${k}`);
    if (Number(p.NEG_TRIGGER ?? 0) !== 0) throw new Error('SB_MAC16: NEG_TRIGGER=1 is not supported (single rising-edge domain)');
  },
  combInputs(raw) {
    const p = params(raw);
    const out = ['IRSTTOP', 'IRSTBOT', 'ORSTTOP', 'ORSTBOT', 'OLOADTOP', 'OLOADBOT', 'ADDSUBTOP', 'ADDSUBBOT', 'CI', 'ACCUMCI', 'SIGNEXTIN'];
    if (!p.A_REG) out.push('A');
    if (!p.B_REG) out.push('B');
    if (!p.C_REG) out.push('C');
    if (!p.D_REG) out.push('D');
    return out;
  },
  createSim: (raw) => new Mac16Sim(params(raw)),
};

/** A 16x16 -> 32 multiplier: O = A * B. `registered` adds the input
 *  registers (A_REG/B_REG) and the output pipeline register (1 + 1 cycles). */
export function mac16Mul(opts: { signed?: boolean; aSigned?: boolean; bSigned?: boolean; registered?: boolean } = {}): Primitive {
  const as = opts.aSigned ?? opts.signed ?? false;
  const bs = opts.bSigned ?? opts.signed ?? false;
  const r = opts.registered ? 1 : 0;
  return new Primitive(SB_MAC16, {
    A_REG: r,
    B_REG: r,
    PIPELINE_16x16_MULT_REG2: r,
    TOPOUTPUT_SELECT: 3,
    BOTOUTPUT_SELECT: 3,
    A_SIGNED: as ? 1 : 0,
    B_SIGNED: bs ? 1 : 0,
  });
}

/** SB_MAC16 with explicit parameters (see the Lattice DSP usage guide). */
export function mac16(paramsIn: Record<string, number>): Primitive {
  return new Primitive(SB_MAC16, paramsIn);
}
