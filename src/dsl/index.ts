// Public API of the bpfgate HDL DSL. See docs/dsl.md.
//
//   import { Module, C, cat, mux, bundle, signed } from '../dsl/index.ts';

export { Module, Signal, IfChain, SwitchChain } from './module.ts';
export type { RegOptions, WireOptions, PortDecl, Stmt, CaseValue, SignalKind } from './module.ts';
export { Expr, C, S, C as lit, cat, signed, unsigned, MAX_WIDTH } from './signal.ts';
export type { ExprLike, Shape, ShapeLike } from './signal.ts';
export { bundle, Layout, mux, bits } from './bundle.ts';
export type { BundleOf, BundleValue, BundleInit, Fields } from './bundle.ts';
export { Memory } from './memory.ts';
export type { MemoryOptions, ReadPort, WritePort } from './memory.ts';
export { Instance } from './instance.ts';
export type { PortConnections } from './instance.ts';
export { ElabError, SourceLoc, setLocCapture } from './loc.ts';
export { Primitive } from './primitives/types.ts';
export type { PrimitiveDef, PrimPort, PrimSimInstance } from './primitives/types.ts';
export { toVerilog, emitVerilog, emitModuleTexts, clockedModules } from './verilog.ts';
export type { VerilogOptions } from './verilog.ts';
export { compileDesign, PASSES } from './passes/index.ts';
export type { PassOptions } from './passes/index.ts';
export type { DesignIR, ModuleIR, Cell, Net, CellKind, MemoryIR } from './ir.ts';
