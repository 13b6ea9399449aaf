import { describe } from 'vitest';
import { dataFileTarget } from '../../src/fuzz-inputs/targets/data-file.ts';
import { fuzzTest } from './support.ts';

describe('input fuzzing', () => fuzzTest(dataFileTarget));
