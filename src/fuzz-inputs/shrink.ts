// Shrinking a failing input: reduction of a JSON-like value (text, bytes,
// lists such as CLI arguments, records such as a board description). A
// smaller version is kept when the target still fails the same way.
// Sequences (text, bytes, lists) are cut ddmin-style: pieces of half the
// length first, then quarters, ... down to single items, staying at a size
// while it keeps cutting; bytes are also zeroed piece by piece (keeping an
// ELF's offsets while its content goes). Records lose fields, then each
// field shrinks in turn.

/** Text, bytes, numbers, and lists and records of them; anything else is left as it is. */
export type Value = unknown;

export interface Shrunk {
  readonly value: Value;
  /** Accepted reductions. */
  readonly steps: number;
}

type Test = (v: Value) => Promise<boolean>;

class Budget {
  runs = 0;
  steps = 0;
  constructor(readonly max: number) {}
  get spent(): boolean {
    return this.runs >= this.max;
  }
  async try(test: Test, v: Value): Promise<boolean> {
    if (this.spent) return false;
    this.runs++;
    const ok = await test(v);
    if (ok) this.steps++;
    return ok;
  }
}

interface Seq<T> {
  readonly length: number;
  cut(a: number, b: number): T;
  zero?(a: number, b: number): T | undefined;
}

const seqOf = (v: Value): Seq<Value> | undefined => {
  if (typeof v === 'string') return { length: v.length, cut: (a, b) => v.slice(0, a) + v.slice(b) };
  if (v instanceof Uint8Array) {
    return {
      length: v.length,
      cut: (a, b) => {
        const out = new Uint8Array(v.length - (b - a));
        out.set(v.subarray(0, a));
        out.set(v.subarray(b), a);
        return out;
      },
      zero: (a, b) => {
        if (v.subarray(a, b).every((x) => x === 0)) return undefined;
        const out = Uint8Array.from(v);
        out.fill(0, a, b);
        return out;
      },
    };
  }
  if (Array.isArray(v)) return { length: v.length, cut: (a, b) => [...v.slice(0, a), ...v.slice(b)] };
  return undefined;
};

/** ddmin-style cutting (and zeroing) of a sequence value. */
async function shrinkSequence(start: Value, test: Test, budget: Budget): Promise<Value> {
  let value = start;
  let size = Math.max(1, (seqOf(value)?.length ?? 0) >> 1);
  for (;;) {
    let seq = seqOf(value)!;
    if (seq.length === 0 || budget.spent) return value;
    size = Math.min(size, seq.length);
    let progress = false;
    for (let a = 0; a < seq.length && !budget.spent;) {
      const cut = seq.cut(a, Math.min(seq.length, a + size));
      if (await budget.try(test, cut)) {
        value = cut;
        seq = seqOf(value)!;
        progress = true;
      } else {
        a += size;
      }
    }
    if (seq.zero) {
      for (let a = 0; a < seq.length && !budget.spent; a += size) {
        const zeroed = seq.zero!(a, Math.min(seq.length, a + size));
        if (zeroed !== undefined && (await budget.try(test, zeroed))) {
          value = zeroed;
          seq = seqOf(value)!;
          progress = true;
        }
      }
    }
    if (!progress) {
      if (size === 1) return value;
      size >>= 1;
    }
  }
}

async function shrinkAny(start: Value, test: Test, budget: Budget): Promise<Value> {
  let value = start;
  if (typeof value === 'number') {
    for (const c of [0, Math.trunc(value / 2)]) {
      if (c !== value && (await budget.try(test, c))) return shrinkAny(c, test, budget);
    }
    return value;
  }
  if (typeof value === 'boolean') return value && (await budget.try(test, false)) ? false : value;
  if (seqOf(value)) value = await shrinkSequence(value, test, budget);
  if (Array.isArray(value)) {
    for (let i = 0; i < (value as Value[]).length; i++) {
      const list = value as Value[];
      const item = await shrinkAny(list[i], (c) => test([...list.slice(0, i), c, ...list.slice(i + 1)]), budget);
      value = [...list.slice(0, i), item, ...list.slice(i + 1)];
    }
    return value;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    let rec = value as Record<string, Value>;
    for (const key of Object.keys(rec)) {
      const { [key]: _dropped, ...rest } = rec;
      if (await budget.try(test, rest)) rec = rest;
    }
    for (const key of Object.keys(rec)) {
      const base = rec;
      const field = await shrinkAny(base[key], (c) => test({ ...base, [key]: c }), budget);
      rec = { ...base, [key]: field };
    }
    return rec;
  }
  return value;
}

/** Reduce `start` while `stillFails` holds, within `maxRuns` calls of it. */
export async function shrinkValue(start: Value, stillFails: Test, maxRuns: number): Promise<Shrunk> {
  const budget = new Budget(maxRuns);
  const value = await shrinkAny(start, stillFails, budget);
  return { value, steps: budget.steps };
}
