import { describe } from 'vitest';
import { hostFramesTarget } from '../../src/fuzz-inputs/targets/host-frames.ts';
import { fuzzTest } from './support.ts';

describe('input fuzzing', () => fuzzTest(hostFramesTarget));
