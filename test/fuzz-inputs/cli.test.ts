import { describe } from 'vitest';
import { cliTarget } from '../../src/fuzz-inputs/targets/cli.ts';
import { fuzzTest } from './support.ts';

describe('input fuzzing', () => fuzzTest(cliTarget));
