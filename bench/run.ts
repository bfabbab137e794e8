// `npm run bench`: generates a large access log and prints, in one run and side by side, analyze,
// the naive baseline, DuckDB (one thread) and the Firehose transform handler. `aggregate` is the
// part of analyze that does what the baselines do (parse, validate, group); analyze also writes
// the Parquet summaries, the policies and the report.
//
// BENCH_MB      size of the generated log (default 1024; generated once under bench/data/)
// BENCH_REPEAT  runs per contender, interleaved; the table shows each one's median (default 1)
// BENCH_ONLY    comma-separated contenders to run (default: all)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ensureBenchLog } from './generate-log.ts';

interface Figures {
  name: string;
  bytes: number;
  lines: number;
  groups: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

const megabytes = Number(process.env.BENCH_MB ?? 1024);
const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
const file = `bench/data/access-logs-${megabytes}mb.log`;
const buildDir = 'bench/data/.build';
const figuresFile = join(buildDir, 'figures.jsonl');

const contenders = ['naive', 'duckdb', 'aggregate', 'analyze'];
// The transform handler is benchmarked once it exists (another change adds it).
if (existsSync('functions/transform/handler.ts')) contenders.push('transform');
const only = process.env.BENCH_ONLY?.split(',').filter((name) => name !== '');
const chosen = only === undefined ? contenders : contenders.filter((c) => only.includes(c));

process.stderr.write(`Preparing ${file} (${megabytes} MB, generated once, not committed)…\n`);
const bytes = await ensureBenchLog(file, megabytes);

// Each contender is bundled and run by plain node in its own process: its peak RSS is its own,
// and neither the TypeScript loader's time nor its memory (a worker thread) is counted.
mkdirSync(buildDir, { recursive: true });
await build({
  entryPoints: {
    ...Object.fromEntries(chosen.map((name) => [name, `bench/contenders/${name}.ts`])),
    // aggregateLogFiles starts its worker threads from this file, beside the bundles.
    'aggregate-worker': 'shared/pipeline/aggregate-worker.ts',
  },
  outdir: buildDir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

function run(contender: string): Figures {
  process.stderr.write(`Running ${contender}…\n`);
  rmSync(figuresFile, { force: true });
  execFileSync(process.execPath, [join(buildDir, `${contender}.js`), file], {
    // The transform handler logs as in Lambda; that output is not needed here (a failure's
    // stderr still reaches the error thrown).
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, BENCH_FIGURES_FILE: figuresFile },
  });
  const lines = readFileSync(figuresFile, 'utf8').trim().split('\n');
  return JSON.parse(lines.at(-1) ?? '{}') as Figures;
}

const runs = new Map<string, Figures[]>(chosen.map((name) => [name, []]));
const loadBefore = loadavg()[0] ?? 0;
for (let round = 0; round < repeat; round++) {
  for (const contender of chosen) runs.get(contender)?.push(run(contender));
}
const loadAfter = loadavg()[0] ?? 0;

/** The run with the median wall time. */
function median(list: Figures[]): Figures {
  const sorted = [...list].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor((sorted.length - 1) / 2)] as Figures;
}
const results = [...runs.values()].map(median);
const byName = new Map(results.map((r) => [r.name, r]));
const naive = byName.get('naive');
const duckdb = byName.get('duckdb');

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `\nlattice-lens bench: ${(bytes / 1e6).toFixed(0)} MB log, ${cpus().length} × ${cpu}, ` +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
    `${repeat === 1 ? '1 run' : `median of ${repeat} runs`} each, ` +
    `load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}\n`,
);
const header = [
  'contender',
  'MB/s',
  'lines/s',
  'CPU MB/s',
  'peak RSS MB',
  'wall s',
  'CPU s',
  'groups',
  'vs naive',
  'vs DuckDB',
];
console.log(header.map((h, i) => (i === 0 ? h.padEnd(10) : h.padStart(12))).join(''));
for (const r of results) {
  const isTransform = r.name === 'transform';
  const cells = [
    r.name,
    (r.bytes / 1e6 / r.seconds).toFixed(1),
    Math.round(r.lines / r.seconds).toLocaleString('en-US'),
    (r.bytes / 1e6 / r.cpuSeconds).toFixed(1),
    r.peakRssMb.toFixed(0),
    r.seconds.toFixed(2),
    r.cpuSeconds.toFixed(2),
    r.groups.toLocaleString('en-US'),
    naive === undefined || isTransform ? '' : `${(naive.seconds / r.seconds).toFixed(2)}×`,
    duckdb === undefined || isTransform ? '' : `${(duckdb.seconds / r.seconds).toFixed(2)}×`,
  ];
  console.log(cells.map((c, i) => (i === 0 ? c.padEnd(10) : c.padStart(12))).join(''));
}
if (byName.has('transform')) {
  console.log(
    '\ntransform: lines/s are Firehose records per second over warm invocations on a ~6 MB ' +
      'event; groups is how many records per invocation came back Ok (the rest do not fit the ' +
      '6 MB response and come back ProcessingFailed).',
  );
}
if (repeat > 1) {
  console.log('\nAll runs (wall seconds):');
  for (const [name, list] of runs) {
    console.log(`  ${name.padEnd(10)}${list.map((r) => r.seconds.toFixed(2)).join('  ')}`);
  }
  printPairedRatios();
}

// This VM's speed drifts by 20-40 % within minutes, and a ratio of two medians can pair a slow
// stretch of one contender with a fast stretch of the other. Each round runs the contenders back
// to back, so the ratio within a round cancels most of the drift.
function printPairedRatios(): void {
  const duckdbRuns = runs.get('duckdb');
  if (duckdbRuns === undefined) return;
  const lines: string[] = [];
  for (const name of ['aggregate', 'analyze']) {
    const list = runs.get(name);
    if (list === undefined) continue;
    const ratios = list.map((r, round) => (duckdbRuns[round] as Figures).seconds / r.seconds);
    const sorted = [...ratios].sort((a, b) => a - b);
    const middle = sorted[Math.floor((sorted.length - 1) / 2)] as number;
    lines.push(
      `  ${name.padEnd(10)}median ${middle.toFixed(2)}×, range ${(sorted[0] as number).toFixed(2)}–` +
        `${(sorted.at(-1) as number).toFixed(2)}×  (${ratios.map((x) => x.toFixed(2)).join('  ')})`,
    );
  }
  if (lines.length === 0) return;
  console.log('\nvs DuckDB round by round (DuckDB wall s / contender wall s in the same round):');
  for (const line of lines) console.log(line);
}
