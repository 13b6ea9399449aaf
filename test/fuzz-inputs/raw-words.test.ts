import { describe } from 'vitest';
import { rawWordsTarget } from '../../src/fuzz-inputs/targets/raw-words.ts';
import { fuzzTest } from './support.ts';

describe('input fuzzing', () => fuzzTest(rawWordsTarget));
