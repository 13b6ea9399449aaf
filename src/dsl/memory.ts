// Memories: width x depth arrays with synchronous read ports (data appears the
// cycle after the address, read-before-write) and write ports with optional
// byte (lane) enables. Ports are groups of wires assigned in the comb domain,
// so a port call inside m.If() only acts when the branch is taken.

import { captureLoc, ElabError, type SourceLoc } from './loc.ts';
import { C, checkWidth, toBits, type Expr, type ExprLike, type Signal } from './signal.ts';
import { addrWidth } from './ir.ts';
import type { ModuleScope } from './scope.ts';

export interface MemoryOptions {
  width: number;
  depth: number;
  /** Initial contents (word i at address i); missing words are 0. */
  init?: ReadonlyArray<number | bigint>;
  /** Bits per write-enable lane (default 8 when width is a multiple of 8). */
  granularity?: number;
  /** Build from SB_SPRAM256KA blocks (16K x 16 each, iCE40 UltraPlus)
   *  instead of block RAM. Single port: at most one reader and one writer,
   *  sharing the address (the write address wins when writing); read data is
   *  undefined in a cycle that writes; no init contents; lanes of >= 4 bits. */
  spram?: boolean;
  /** What a read port returns when a write to the same address lands on the
   *  same clock edge: 'old' (the default) the word before the write;
   *  'undefined' lets synthesis skip the collision logic yosys otherwise
   *  wraps around each iCE40 block-RAM read port (a register of the write
   *  data and a mux: ~width FFs + LUTs per port). Use it only where the
   *  design never uses such a read; the simulator returns the old word
   *  inverted on a collision so a design that does use it fails its tests. */
  readDuringWrite?: 'old' | 'undefined';
}

export interface ReadPort {
  readonly addr: Signal;
  readonly en: Signal;
  /** Registered data: mem[addr] of the previous cycle (when en was 1). */
  readonly data: Signal;
}
export interface WritePort {
  readonly addr: Signal;
  readonly data: Signal;
  readonly en: Signal;
  /** One bit per lane of `granularity` bits. */
  readonly be: Signal;
}

export class Memory {
  readonly readers: ReadPort[] = [];
  readonly writers: WritePort[] = [];
  readonly width: number;
  readonly depth: number;
  readonly init: bigint[];
  readonly granularity: number;
  readonly addrWidth: number;
  readonly spram: boolean;
  readonly readDuringWrite: 'old' | 'undefined';

  constructor(
    readonly owner: ModuleScope,
    readonly name: string,
    opts: MemoryOptions,
    readonly loc: SourceLoc,
  ) {
    checkWidth(opts.width, loc);
    if (!Number.isInteger(opts.depth) || opts.depth < 1 || opts.depth > 1 << 24) {
      throw new ElabError(`memory '${name}': depth must be an integer in 1..2^24, got ${opts.depth}`, loc);
    }
    this.width = opts.width;
    this.depth = opts.depth;
    this.addrWidth = addrWidth(opts.depth);
    const g = opts.granularity ?? (opts.width % 8 === 0 ? 8 : opts.width);
    if (!Number.isInteger(g) || g < 1 || opts.width % g !== 0) {
      throw new ElabError(`memory '${name}': granularity ${g} does not divide width ${opts.width}`, loc);
    }
    this.granularity = g;
    const init = opts.init ?? [];
    if (init.length > opts.depth) throw new ElabError(`memory '${name}': ${init.length} init words for depth ${opts.depth}`, loc);
    this.init = init.map((v, i) => toBits(v, opts.width, loc, `init word ${i}`));
    this.spram = opts.spram ?? false;
    this.readDuringWrite = opts.readDuringWrite ?? 'old';
    if (!['old', 'undefined'].includes(this.readDuringWrite)) {
      throw new ElabError(`memory '${name}': readDuringWrite must be 'old' or 'undefined', got '${String(this.readDuringWrite)}'`, loc);
    }
    if (this.spram) {
      if (init.length) throw new ElabError(`memory '${name}': SPRAM cannot be initialised`, loc);
      if (g % 4 !== 0) throw new ElabError(`memory '${name}': SPRAM write lanes must be a multiple of 4 bits (granularity ${g})`, loc);
      // The owner lowers it to SB_SPRAM256KA blocks once all ports exist (spram-lowering.ts).
    }
  }

  get lanes(): number {
    return this.width / this.granularity;
  }

  /** Declare a read port whose addr/en wires you assign yourself (en defaults to 0). */
  reader(): ReadPort {
    const loc = captureLoc();
    const i = this.readers.length;
    const m = this.owner;
    const p: ReadPort = {
      addr: defaulted(m.internalSignal('wire', `${this.name}_r${i}_addr`, { width: this.addrWidth, signed: false }, loc)),
      en: defaulted(m.internalSignal('wire', `${this.name}_r${i}_en`, { width: 1, signed: false }, loc)),
      // SPRAM read data comes from the blocks' output registers (a wire here).
      data: m.internalSignal(this.spram ? 'wire' : 'memdata', `${this.name}_r${i}_data`, { width: this.width, signed: false }, loc),
    };
    this.readers.push(p);
    return p;
  }

  /** Declare a write port whose addr/data/en/be wires you assign yourself
   *  (en defaults to 0, be to all lanes). */
  writer(): WritePort {
    const loc = captureLoc();
    const i = this.writers.length;
    const m = this.owner;
    const be = defaulted(m.internalSignal('wire', `${this.name}_w${i}_be`, { width: this.lanes, signed: false }, loc));
    be.init = (1n << BigInt(this.lanes)) - 1n;
    const p: WritePort = {
      addr: defaulted(m.internalSignal('wire', `${this.name}_w${i}_addr`, { width: this.addrWidth, signed: false }, loc)),
      data: defaulted(m.internalSignal('wire', `${this.name}_w${i}_data`, { width: this.width, signed: false }, loc)),
      en: defaulted(m.internalSignal('wire', `${this.name}_w${i}_en`, { width: 1, signed: false }, loc)),
      be,
    };
    this.writers.push(p);
    return p;
  }

  /** A read port reading `addr` when `en` (default 1); returns the registered data. */
  readPort(addr: Expr, en: ExprLike = 1): Signal {
    const p = this.reader();
    this.owner.comb(p.addr, addr);
    this.owner.comb(p.en, en);
    return p.data;
  }

  /** A write port: when `en`, store `data` at `addr` (only the lanes set in `be`). */
  writePort(addr: Expr, data: ExprLike, en: ExprLike, be?: ExprLike): WritePort {
    const p = this.writer();
    this.owner.comb(p.addr, addr);
    this.owner.comb(p.data, data);
    this.owner.comb(p.en, en);
    if (be !== undefined) this.owner.comb(p.be, be);
    return p;
  }

  /** Constant helper for lane masks: all lanes enabled. */
  allLanes(): Expr {
    return C(this.lanes, (1n << BigInt(this.lanes)) - 1n);
  }
}

function defaulted(s: Signal): Signal {
  s.hasDefault = true;
  return s;
}
