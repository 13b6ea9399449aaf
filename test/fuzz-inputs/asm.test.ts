import { describe } from 'vitest';
import { asmTarget } from '../../src/fuzz-inputs/targets/asm.ts';
import { fuzzTest } from './support.ts';

describe('input fuzzing', () => fuzzTest(asmTarget));
