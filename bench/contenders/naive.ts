// The naive baseline: readline + JSON.parse per line + a Map keyed on the same grouping fields.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { reportRun } from './report-run.ts';

const [file] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: naive.ts <file>');

const started = performance.now();
const startedCpu = process.cpuUsage();
const groups = new Map<string, number>();
let lines = 0;
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  lines++;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    continue;
  }
  const key = [
    String(record.startTime).slice(0, 13),
    record.serviceArn,
    record.callerPrincipal,
    record.requestMethod,
    String(record.requestPath).split('?')[0],
    record.sourceVpcId,
  ].join('\u0000');
  groups.set(key, (groups.get(key) ?? 0) + 1);
}
reportRun({
  name: 'naive',
  bytes: (await stat(file)).size,
  lines,
  groups: groups.size,
  started,
  startedCpu,
});
