// lattice-lens's share of what the baselines do: read, validate every field, and group into hourly
// call patterns (aggregateLogFiles, on every CPU as analyze reads), without writing summaries,
// policies or the report.
import { stat } from 'node:fs/promises';
import { aggregateLogFiles } from '../../shared/pipeline/index.ts';
import { reportRun } from './report-run.ts';

const [file] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: aggregate.ts <file>');

const started = performance.now();
const startedCpu = process.cpuUsage();
const result = await aggregateLogFiles([file]);
reportRun({
  name: 'aggregate',
  bytes: (await stat(file)).size,
  lines: result.records + result.rejectedLines,
  groups: result.patterns.length,
  started,
  startedCpu,
});
