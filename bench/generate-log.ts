// Writes (once) the large synthetic access log the benchmarks read: the sample scenario, scaled up.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateAccessLogLines } from '../sample-logs/generator.ts';

/** Bytes per line of the sample scenario, measured: enough to size the request count up front. */
const APPROX_LINE_BYTES = 1_360;

export async function ensureBenchLog(path: string, megabytes: number): Promise<number> {
  const existing = await stat(path).catch(() => undefined);
  if (existing !== undefined && existing.size >= megabytes * 1_000_000) return existing.size;
  await mkdir(dirname(path), { recursive: true });
  const requests = Math.ceil((megabytes * 1_000_000) / APPROX_LINE_BYTES);
  const out = createWriteStream(path);
  let chunk = '';
  for (const line of generateAccessLogLines({
    seed: 7,
    requests,
    start: new Date('2026-11-01T00:00:00Z'),
    hours: 14 * 24,
    malformedEvery: 100_000,
  })) {
    chunk += `${line}\n`;
    if (chunk.length >= 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return (await stat(path)).size;
}
