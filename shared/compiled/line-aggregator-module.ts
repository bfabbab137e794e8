// The line aggregator module (assembly/line-aggregator.ts, committed compiled in
// line-aggregator-wasm.ts): compiled once per thread, instantiated per aggregation, its exports
// checked at the boundary.
import { Buffer } from 'node:buffer';
import { LINE_AGGREGATOR_WASM } from './line-aggregator-wasm.ts';

// The part of the WebAssembly API used here: the project's TypeScript lib (ES2023, Node's types)
// does not declare it, and lib.dom would declare much else.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmGlobal {
  value: unknown;
}
/** The functions the module imports: `env.hourStart`, `env.isSessionRole`, `env.segmentTemplate`. */
export type LineAggregatorImports = Record<string, (...args: number[]) => number>;
type WasmImports = Record<string, LineAggregatorImports>;
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: WasmImports) => { readonly exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const PAGE_BYTES = 65_536;

/** Whether this runtime runs WebAssembly: not under `node --jitless`, for one. */
export function isCompiledReadingAvailable(): boolean {
  return wasm !== undefined;
}

/** What the module exports (assembly/line-aggregator.ts), checked when it is instantiated. */
export interface LineAggregatorExports {
  memory: WasmMemory;
  /** Constants: the module's memory map and numbering. */
  layout: Record<(typeof CONSTANTS)[number], number>;
  /** Its mutable state: why `read` stopped, the lines read and the groups since `reset`. */
  stop: WasmGlobal;
  lines: WasmGlobal;
  groups: WasmGlobal;
  reset(): void;
  resetGroups(): void;
  isNumberingFull(): number;
  nextLayoutSlot(): number;
  layoutFieldsAt(slot: number): number;
  layoutKeysAt(slot: number): number;
  addLayout(slot: number, count: number): void;
  read(from: number, to: number): number;
}

const FUNCTIONS = [
  'reset',
  'resetGroups',
  'isNumberingFull',
  'nextLayoutSlot',
  'layoutFieldsAt',
  'layoutKeysAt',
  'addLayout',
  'read',
] as const;
const CONSTANTS = [
  'INPUT',
  'INPUT_BYTES',
  'STRINGS',
  'KEY_INTS',
  'VALUES',
  'GROUP_KEYS',
  'GROUP_VALUES',
  'GROUP_LISTS',
  'MEMORY_BYTES',
  'LAYOUT_FIELD_CAPACITY',
  'LAYOUT_KEY_CAPACITY',
  'STOP_LINE',
  'STOP_FULL',
  'STRING_CAPACITY',
  'TEMPLATE_CAPACITY',
] as const;
const STATE = ['stop', 'lines', 'groups'] as const;

function isGlobal(value: unknown): value is WasmGlobal {
  return typeof value === 'object' && value !== null && 'value' in value;
}

/** The exports of an instance of the module, or an error naming the one missing. */
function lineAggregatorExports(exports: object): LineAggregatorExports {
  const named = exports as Record<string, unknown>;
  const missing = [...FUNCTIONS, ...CONSTANTS, ...STATE, 'memory'].find((name) => {
    const value = named[name];
    if (name === 'memory')
      return !(typeof value === 'object' && value !== null && 'buffer' in value);
    if ((FUNCTIONS as readonly string[]).includes(name)) return typeof value !== 'function';
    return !isGlobal(value) || typeof value.value !== 'number';
  });
  if (missing !== undefined)
    throw new Error(`the line aggregator module lacks the export ${missing}`);
  const layout = Object.fromEntries(
    CONSTANTS.map((name) => [name, (named[name] as WasmGlobal).value as number]),
  ) as LineAggregatorExports['layout'];
  return { ...(exports as Omit<LineAggregatorExports, 'layout'>), layout };
}

let compiledModule: object | undefined;

/**
 * A new instance of the module, its memory grown to the size its map needs (it never grows
 * again, so views of it stay valid). Its tables are empty: new memory is zeros.
 */
export function instantiateLineAggregator(env: LineAggregatorImports): LineAggregatorExports {
  if (wasm === undefined) throw new Error('this runtime has no WebAssembly');
  compiledModule ??= new wasm.Module(Buffer.from(LINE_AGGREGATOR_WASM, 'base64'));
  const exports = lineAggregatorExports(new wasm.Instance(compiledModule, { env }).exports);
  const memory = exports.memory;
  const needed = exports.layout.MEMORY_BYTES;
  if (memory.buffer.byteLength < needed) {
    memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE_BYTES));
  }
  return exports;
}
