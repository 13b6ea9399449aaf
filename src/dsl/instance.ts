// Instances of sub-modules and vendor primitives. Inputs take parent
// expressions (narrower values are extended; wider ones are an error), outputs
// drive parent signals: either ones you pass in `ports` or fresh wires named
// <instance>_<port>, reachable as inst.o.<port>.

import { captureLoc, ElabError, type SourceLoc } from './loc.ts';
import { Expr, extendTo, Signal, toBool, toExpr, type ExprLike, type Shape } from './signal.ts';
import { Layout, layoutOf, tagBundle } from './bundle.ts';
import { Primitive } from './primitives/types.ts';
import type { ModuleScope } from './scope.ts';

export type PortConnections = Record<string, ExprLike | object>;

interface PortInfo {
  name: string;
  dir: 'input' | 'output';
  layout?: Layout<any>;
  /** Flattened (field) port names with shapes, in layout order. */
  fields: { name: string; shape: Shape; field: string[] }[];
}

export class Instance {
  /** Flattened input port name -> parent expression. */
  readonly inputs = new Map<string, Expr>();
  /** Flattened output port name -> parent signal. */
  readonly outputs = new Map<string, Signal>();
  /** Outputs as seen by the parent: inst.o.result, inst.o.resp.valid ... */
  readonly o: Record<string, any>;
  readonly rst: Expr | undefined;

  constructor(
    readonly parent: ModuleScope,
    readonly name: string,
    readonly target: ModuleScope | Primitive,
    ports: PortConnections,
    opts: { rst?: ExprLike },
    readonly loc: SourceLoc,
  ) {
    const infos = portInfos(target);
    const byName = new Map(infos.map((p) => [p.name, p]));
    for (const key of Object.keys(ports)) {
      if (!byName.has(key)) {
        throw new ElabError(
          `${describe(target)} has no port '${key}' (ports: ${infos.map((p) => p.name).join(', ')})`,
          loc,
        );
      }
    }
    const outValues: Record<string, unknown> = {};
    for (const p of infos) {
      const conn = ports[p.name];
      if (p.dir === 'input') this.connectInput(p, conn);
      else outValues[p.name] = this.connectOutput(p, conn);
    }
    if (opts.rst !== undefined) {
      if (target instanceof Primitive) throw new ElabError('rst override only applies to module instances', loc);
      this.rst = toBool(opts.rst, loc);
      parent.checkOwned(this.rst, loc);
    }
    const instName = name;
    this.o = new Proxy(outValues, {
      get(obj, key) {
        if (typeof key === 'symbol') return undefined;
        if (!(key in obj)) {
          const kind = byName.get(key)?.dir === 'input' ? ' (it is an input)' : '';
          throw new ElabError(
            `instance '${instName}' of ${describe(target)} has no output port '${key}'${kind}`,
            captureLoc(),
          );
        }
        return obj[key];
      },
    });
  }

  private connectInput(p: PortInfo, conn: ExprLike | object | undefined): void {
    if (conn === undefined) {
      if (this.target instanceof Primitive) {
        for (const f of p.fields) {
          const def = this.target.def.ports.find((x) => x.name === f.name)?.default;
          if (def === undefined) throw new ElabError(`input port '${f.name}' of ${describe(this.target)} is not connected`, this.loc);
          this.inputs.set(f.name, new Expr('const', f.shape.width, false, [], def, this.loc));
        }
        return;
      }
      throw new ElabError(`input port '${p.name}' of ${describe(this.target)} is not connected`, this.loc);
    }
    let parts: Expr[];
    if (p.layout) {
      const cl = layoutOf(conn);
      if (conn instanceof Expr) parts = flattenFields(p.layout.unpack(conn));
      else if (cl) parts = flattenFields(conn);
      else throw new ElabError(`port '${p.name}' is a bundle; connect a bundle or a ${p.layout.width}-bit value`, this.loc);
    } else {
      if (layoutOf(conn)) throw new ElabError(`port '${p.name}' is not a bundle; use bits()`, this.loc);
      parts = [toExpr(conn as ExprLike, new Expr('const', p.fields[0]!.shape.width, p.fields[0]!.shape.signed, [], 0n, this.loc), this.loc)];
    }
    p.fields.forEach((f, i) => {
      const e = parts[i]!;
      this.parent.checkOwned(e, this.loc);
      if (e.width > f.shape.width) {
        throw new ElabError(
          `width mismatch: connecting a ${e.width}-bit value to the ${f.shape.width}-bit input '${f.name}' of ${describe(this.target)}`,
          this.loc,
        );
      }
      this.inputs.set(f.name, extendTo(e, f.shape.width, this.loc));
    });
  }

  private connectOutput(p: PortInfo, conn: ExprLike | object | undefined): unknown {
    const given: (Signal | undefined)[] = [];
    if (conn === undefined) p.fields.forEach(() => given.push(undefined));
    else if (p.layout) {
      if (!layoutOf(conn)) throw new ElabError(`output '${p.name}' is a bundle; connect a bundle of wires`, this.loc);
      for (const s of flattenFields(conn)) given.push(s as Signal);
    } else given.push(conn as Signal);
    const sigs = p.fields.map((f, i) => {
      const g = given[i];
      if (g === undefined) {
        return this.parent.internalSignal('instout', `${this.name}_${f.name}`, f.shape, this.loc);
      }
      if (!(g instanceof Signal) || g.owner !== this.parent) {
        throw new ElabError(`output '${f.name}' must connect to a wire or output of module '${this.parent.name}'`, this.loc);
      }
      if (g.kind !== 'wire' && g.kind !== 'output') {
        throw new ElabError(`output '${f.name}' cannot drive ${g.kind} '${g.name}'; use a wire`, this.loc);
      }
      if (g.width !== f.shape.width) {
        throw new ElabError(
          `width mismatch: the ${f.shape.width}-bit output '${f.name}' of ${describe(this.target)} drives the ${g.width}-bit '${g.name}'`,
          this.loc,
        );
      }
      return g;
    });
    p.fields.forEach((f, i) => this.outputs.set(f.name, sigs[i]!));
    if (!p.layout) return sigs[0];
    return rebuild(p.layout, sigs);
  }

  /** Parent signal for an output port (throws a located error for unknown ports). */
  out(name: string): any {
    return this.o[name];
  }
}

function describe(t: ModuleScope | Primitive): string {
  return t instanceof Primitive ? `primitive ${t.def.type}` : `module '${t.name}'`;
}

function portInfos(t: ModuleScope | Primitive): PortInfo[] {
  if (!(t instanceof Primitive)) {
    return t.ports.map((p) => ({
      name: p.name,
      dir: p.dir,
      layout: p.layout,
      fields: p.signals.map((s) => ({ name: s.name, shape: { width: s.width, signed: s.signed }, field: [] })),
    }));
  }
  return t.def.ports
    .filter((p) => !p.clock)
    .map((p) => ({
      name: p.name,
      dir: p.dir === 'in' ? 'input' : 'output',
      fields: [{ name: p.name, shape: { width: p.width, signed: false }, field: [] }],
    }));
}

function flattenFields(b: unknown): Expr[] {
  const l = layoutOf(b);
  if (!l) return [b as Expr];
  const out: Expr[] = [];
  for (const e of l.entries) out.push(...flattenFields((b as Record<string, unknown>)[e.name]));
  return out;
}

function rebuild(l: Layout<any>, sigs: Signal[]): object {
  let i = 0;
  const walk = (lay: Layout<any>): object => {
    const obj: Record<string, unknown> = {};
    for (const e of lay.entries) obj[e.name] = e.spec instanceof Layout ? walk(e.spec) : sigs[i++];
    return tagBundle(obj, lay);
  };
  return walk(l);
}
