// A named-state machine, one-hot: one flip-flop per state. States are
// declared by name, so the hardware reads like the protocol description and
// a typo in a state name is an error at elaboration, not a silent new state.
//
// Why one-hot: the DSL gives every register a power-up value, which stops
// yosys from re-encoding state machines itself, and a binary state register
// assigned from dozens of places becomes a long chain of multiplexers. With
// one bit per state, each bit's next value only looks at the transitions
// into and out of that state.

import type { Expr, Module, Signal } from '../../src/dsl/index.ts';

export class Fsm<S extends string> {
  private readonly bits = new Map<S, Signal>();
  /** The state whose `when` body is being built (undefined outside any). */
  private current: S | undefined;

  constructor(
    private readonly m: Module,
    name: string,
    readonly states: readonly S[],
    initial: S,
  ) {
    for (const s of states) this.bits.set(s, m.reg(`${name}_${s}`, 1, { reset: s === initial ? 1 : 0 }));
  }

  private bit(s: S): Signal {
    const b = this.bits.get(s);
    if (b === undefined) throw new Error(`fsm: unknown state '${s}'`);
    return b;
  }

  is(s: S): Expr {
    return this.bit(s);
  }

  isAny(states: readonly S[]): Expr {
    return states.map((s) => this.is(s)).reduce((a, b) => a.or(b));
  }

  /** Statements that apply while in state `s`; `goto` inside leaves it. */
  when(s: S, body: () => void): void {
    const outer = this.current;
    this.current = s;
    try {
      this.m.If(this.bit(s), body);
    } finally {
      this.current = outer;
    }
  }

  /** Go to `s` at the next clock edge. Outside a `when`, from whatever state the machine is in. */
  goto(s: S): void {
    const from = this.current === undefined ? this.states : [this.current];
    for (const f of from) if (f !== s) this.m.sync(this.bit(f), 0);
    this.m.sync(this.bit(s), 1);
  }
}
