// What memories and instances need of the module that owns them. module.ts's
// Module implements it; memory.ts and instance.ts depend on this interface,
// not on Module, so the builder's files import one way (module.ts on top).

import type { SourceLoc } from './loc.ts';
import type { Expr, ExprLike, Shape, Signal, SignalKind, SignalOwner } from './signal.ts';
import type { Layout } from './bundle.ts';

export interface PortDecl {
  name: string;
  dir: 'input' | 'output';
  layout?: Layout<any>;
  /** The port's value as the user sees it inside the module. */
  value: Signal | object;
  /** Flattened field signals in layout order. */
  signals: Signal[];
}

export interface ModuleScope extends SignalOwner {
  readonly ports: readonly PortDecl[];
  /** A signal created by a memory or an instance. */
  internalSignal(kind: SignalKind, name: string, shape: Shape, loc: SourceLoc): Signal;
  /** Combinational assignment to a wire or output (or a bundle of them). */
  comb(target: Signal | object, value: ExprLike | object): void;
  /** Every signal in `e` must belong to this module. */
  checkOwned(e: Expr, loc: SourceLoc): void;
}
