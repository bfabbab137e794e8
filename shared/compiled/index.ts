// Compiled hot paths: WebAssembly built from assembly/ (npm run build:wasm), with the
// JavaScript that drives it. Everything else in this folder is private to it.
export { CompiledAggregator } from './compiled-aggregator.ts';
export { isCompiledReadingAvailable } from './line-aggregator-module.ts';
