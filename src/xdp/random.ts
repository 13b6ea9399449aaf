// bpf_get_prandom_u32 on bpfgate: the project's PRNG (src/random.ts,
// mulberry32), the same sequence for the same seed, so runs repeat exactly.

import { Rng } from '../random.ts';

export function seededRandom(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.u32();
}
