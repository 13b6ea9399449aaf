import { describe } from 'vitest';
import { pcapTarget } from '../../src/fuzz-inputs/targets/pcap.ts';
import { fuzzTest } from './support.ts';

describe('input fuzzing', () => fuzzTest(pcapTarget));
