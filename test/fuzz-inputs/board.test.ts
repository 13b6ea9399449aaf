import { describe } from 'vitest';
import { boardTarget } from '../../src/fuzz-inputs/targets/board.ts';
import { fuzzTest } from './support.ts';

describe('input fuzzing', () => fuzzTest(boardTarget));
