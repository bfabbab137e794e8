// `npm run bench`: generates a large access log and prints analyze beside its baselines, in one run.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { ensureBenchLog } from './generate-log.ts';

interface Figures {
  name: string;
  bytes: number;
  lines: number;
  groups: number;
  seconds: number;
  peakRssMb: number;
}

const megabytes = Number(process.env.BENCH_MB ?? 600);
const file = `bench/data/access-logs-${megabytes}mb.log`;

process.stderr.write(`Preparing ${file} (${megabytes} MB, generated once, not committed)…\n`);
const bytes = await ensureBenchLog(file, megabytes);

/** Each contender runs in its own process, so its peak RSS is its own. */
function run(contender: string): Figures {
  process.stderr.write(`Running ${contender}…\n`);
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', `bench/contenders/${contender}.ts`, file],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Figures;
}

const results = [run('naive'), run('analyze')];
const baseline = results[0];

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `\nlattice-lens bench — ${(bytes / 1e6).toFixed(0)} MB, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`,
);
console.log(
  ['contender', 'MB/s', 'lines/s', 'peak RSS MB', 'seconds', 'groups', 'vs naive']
    .map((h) => h.padStart(12))
    .join(''),
);
for (const r of results) {
  const mbps = r.bytes / 1e6 / r.seconds;
  const speedup = baseline === undefined ? 1 : baseline.seconds / r.seconds;
  console.log(
    [
      r.name,
      mbps.toFixed(1),
      Math.round(r.lines / r.seconds).toLocaleString('en-US'),
      r.peakRssMb.toFixed(0),
      r.seconds.toFixed(1),
      r.groups.toLocaleString('en-US'),
      `${speedup.toFixed(2)}×`,
    ]
      .map((c) => c.padStart(12))
      .join(''),
  );
}
