// The committed WebAssembly is what its source compiles to: a change to assembly/ without
// `npm run build:wasm` (or a hand edit of the generated module) fails here.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileLineAggregator, MODULE_FILE, wasmModuleSource } from '../../../tools/build-wasm.ts';

describe('the compiled line aggregator module', () => {
  it('is what assembly/line-aggregator.ts compiles to', async () => {
    const binary = await compileLineAggregator();
    expect(wasmModuleSource(binary)).toBe(await readFile(MODULE_FILE, 'utf8'));
  }, 60_000);
});
