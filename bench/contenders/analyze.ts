// The contender: the whole `lattice-lens analyze` path (parse, validate, aggregate, write outputs).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAnalyze } from '../../cli/analyze.ts';
import { reportRun } from './report-run.ts';

const [file] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: analyze.ts <file>');

const out = await mkdtemp(join(tmpdir(), 'lattice-lens-bench-'));
const started = performance.now();
const startedCpu = process.cpuUsage();
const result = await runAnalyze([file], { out, minRequests: 5 });
reportRun({
  name: 'analyze',
  bytes: (await stat(file)).size,
  lines: result.records + result.rejectedLines,
  groups: result.patterns,
  started,
  startedCpu,
});
await rm(out, { recursive: true, force: true });
