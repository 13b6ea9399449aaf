// Test-file order for `make test`: the place-and-route tests first, then
// vitest's own order (on a fresh clone: larger files first). Those two
// files are small, so vitest ran them last, and the iCEBreaker's ~6
// minutes of routing then ran alone on one core at the end of the run
// instead of beside the rest of the suite on the other.

import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first (measured on the 2-core machine), relative to the repo root. */
export const LONG_RUNNING_TESTS = [
  'test/soc/icebreaker-build.test.ts', // UP5K place and route at 92% of the cells
  'test/soc/board-build.test.ts', // HX8K place and route, then the bitstream simulated over its UART
];

export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification): number => {
      const i = LONG_RUNNING_TESTS.indexOf(relative(this.ctx.config.root, f.moduleId).split('\\').join('/'));
      return i < 0 ? LONG_RUNNING_TESTS.length : i;
    };
    const rest = await super.sort(files);
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return rest.sort((a, b) => rank(a) - rank(b));
  }
}
