import { defineConfig } from 'vitest/config';
import LongFirstSequencer from './test/long-first-sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // The referee suites spawn iverilog/verilator; two cores on CI.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // Place-and-route tests start first, beside the rest (test/long-first-sequencer.ts).
    sequence: { sequencer: LongFirstSequencer },
  },
});
