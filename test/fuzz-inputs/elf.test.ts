import { describe } from 'vitest';
import { elfTarget } from '../../src/fuzz-inputs/targets/elf.ts';
import { fuzzTest } from './support.ts';

describe('input fuzzing', () => fuzzTest(elfTarget));
