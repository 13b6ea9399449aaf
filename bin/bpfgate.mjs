#!/usr/bin/env node
// The bpfgate command. It runs the TypeScript sources with no build step to
// forget: ./cli-bundle.mjs keeps a bundle of them fresh (or falls back to tsx).
import { startCli } from './cli-bundle.mjs';

await startCli();
