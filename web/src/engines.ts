// The page's side of ./worker.ts: one call per operation, a promise per
// call, LoadErrors rebuilt with their line. stop() ends the worker (a long
// run with it) and starts a fresh one; its compiled builds are gone with it.

import { LoadError } from './playground.ts';
import type { Ops, Reply, Request } from './worker.ts';

type Result<K extends keyof Ops> = Awaited<ReturnType<Ops[K]>>;

/** A call ended by stop(). */
export class Stopped extends Error {
  override readonly name = 'Stopped';
  constructor() {
    super('stopped: the run was ended from the page');
  }
}

export class Engines {
  private worker!: Worker;
  private next = 1;
  private readonly pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  /** Builds compiled in the current worker. */
  readonly compiled = new Set<string>();

  constructor(private readonly url: URL) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = new Worker(this.url, { type: 'module' });
    this.worker.addEventListener('message', (e: MessageEvent<Reply>) => {
      const call = this.pending.get(e.data.id);
      if (!call) return;
      this.pending.delete(e.data.id);
      if ('error' in e.data) {
        const x = e.data.error;
        call.fail(x.name === 'LoadError' ? new LoadError(x.message, x.line, x.column) : Object.assign(new Error(x.message), { name: x.name }));
      } else {
        call.ok(e.data.value);
      }
    });
    this.worker.addEventListener('error', (e) => {
      for (const c of this.pending.values()) c.fail(new Error(`engine worker: ${e.message || 'failed to start'}`));
      this.pending.clear();
    });
  }

  call<K extends keyof Ops>(op: K, ...args: Parameters<Ops[K]>): Promise<Result<K>> {
    const id = this.next++;
    return new Promise<Result<K>>((ok, fail) => {
      this.pending.set(id, { ok: ok as (v: unknown) => void, fail });
      this.worker.postMessage({ id, op, args } satisfies Request);
    });
  }

  /** Compile `preset` unless this worker has; the compile time in ms, or undefined when it was there. */
  async ensure(preset: string): Promise<number | undefined> {
    if (this.compiled.has(preset)) return undefined;
    const ms = await this.call('compile', preset);
    this.compiled.add(preset);
    return ms;
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** End whatever runs: every pending call fails with Stopped. */
  stop(): void {
    this.worker.terminate();
    for (const c of this.pending.values()) c.fail(new Stopped());
    this.pending.clear();
    this.compiled.clear();
    this.spawn();
  }
}
