// Vendor primitives are black boxes in the IR: the Verilog back end emits an
// instance of `type`, the simulator runs `createSim`. Port values cross the
// model boundary as canonical int32 words (all primitive ports are <= 32 bits).

/** A primitive parameter (numbers sized by paramWidths, strings quoted). */
export type ParamValue = number | bigint | string;

export interface PrimPort {
  name: string;
  dir: 'in' | 'out';
  width: number;
  /** Connected to the domain clock automatically; never appears in ins. */
  clock?: boolean;
  /** Tie-off used when the user leaves an input unconnected. */
  default?: bigint;
}

/** One simulated instance. The compiled simulator writes inputs into `ins`
 *  (in the order of the primitive's non-clock input ports), calls comb() to
 *  settle outputs into `outs`, and tick() at each rising clock edge. */
export interface PrimSimInstance {
  readonly ins: Int32Array;
  readonly outs: Int32Array;
  comb(): void;
  tick(): void;
  /** Restore power-up state. */
  reset(): void;
}

export interface PrimitiveDef {
  type: string;
  ports: PrimPort[];
  /** Bit widths of numeric parameters, for sized Verilog literals. Numeric
   *  parameters not listed are emitted as plain decimals, strings quoted. */
  paramWidths?: Record<string, number>;
  /** Names of input ports that reach an output without a register, for the
   *  given parameters (used for levelization and loop checks). */
  combInputs(params: Record<string, ParamValue>): string[];
  /** Validate parameters; throw a message string on unsupported ones. */
  checkParams?(params: Record<string, ParamValue>): void;
  createSim(params: Record<string, ParamValue>): PrimSimInstance;
}

/** A primitive plus its parameter values, ready for m.instance(). */
export class Primitive {
  constructor(
    readonly def: PrimitiveDef,
    readonly params: Record<string, ParamValue> = {},
  ) {}
}
