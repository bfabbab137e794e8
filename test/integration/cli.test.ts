// The lattice-lens command as scripts see it: spawned without a TTY and with NO_COLOR, its --json
// shapes, its exit codes (0 ok, 2 usage or input) and its one-line reasons on stderr.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder } from './files-under.ts';

const SAMPLE = 'sample-logs/access-logs';
/** Starts every ANSI colour and cursor sequence. */
const ESC = '\x1b[';
const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with pipes for stdio (so not a TTY) and NO_COLOR set. */
function lens(...args: string[]): Promise<Run> {
  return lensOnNode([], ...args);
}

/** lens, with flags for node itself. */
function lensOnNode(nodeFlags: readonly string[], ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeFlags, '--import', 'tsx', 'cli/main.ts', ...args],
      { env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The key → type map of an object, to compare shapes exactly. */
function shape(value: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, Array.isArray(v) ? 'array' : typeof v]),
  );
}

/** A failure: the given exit code, nothing on stdout, exactly one `lattice-lens: …` line on stderr. */
function expectFailure(run: Run, code: number, reason: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^lattice-lens: [^\n]+\n$/);
  expect(run.stderr).toMatch(reason);
}

let work: string;
let analyzed: Run;
let out: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lattice-lens-cli-'));
  out = join(work, 'out');
  analyzed = await lens('analyze', SAMPLE, '--out', out, '--json');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('lattice-lens analyze --json', () => {
  it('exits 0 with nothing on stderr: no progress line and no colour without a TTY', () => {
    expect(analyzed.code).toBe(0);
    expect(analyzed.stderr).toBe('');
    expect(analyzed.stdout).not.toContain(ESC);
    expect(analyzed.stdout).not.toContain('\r');
  });

  it('prints one JSON object with exactly these keys and types', () => {
    const result = JSON.parse(analyzed.stdout);
    expect(shape(result)).toEqual({
      inputs: 'array',
      records: 'number',
      rejectedLines: 'number',
      rejections: 'array',
      patterns: 'number',
      summaries: 'array',
      services: 'array',
      report: 'string',
    });
    expect(result).toMatchObject({
      inputs: [SAMPLE],
      records: 4000,
      rejectedLines: 4,
      report: join(out, 'report.html'),
    });
    expect(result.summaries).toHaveLength(48);
    expect(result.summaries.every((s: unknown) => typeof s === 'string')).toBe(true);
  });

  it('describes each rejected line by location, reason and (when known) field', () => {
    const { rejections } = JSON.parse(analyzed.stdout);
    expect(rejections).toHaveLength(4);
    expect(shape(rejections[0])).toEqual({ location: 'object', reason: 'string' });
    expect(shape(rejections[0].location)).toEqual({ source: 'string', line: 'number' });
    expect(rejections[2]).toEqual({
      location: { source: `${SAMPLE}/2026/11/20/service-network-access-12.log`, line: 483 },
      field: 'serviceArn',
      reason: expect.stringMatching(/required field is missing/),
    });
  });

  it('lists every service with exactly these keys and types', () => {
    const { services } = JSON.parse(analyzed.stdout);
    expect(services).toHaveLength(7);
    for (const service of services) {
      expect(shape(service)).toEqual({
        serviceId: 'string',
        serviceArn: 'string',
        statements: 'number',
        grantedRequests: 'number',
        authDenied: 'number',
        review: 'number',
        policySize: 'number',
        coarsened: 'boolean',
        exceedsSizeLimit: 'boolean',
        principalsByAccount: 'boolean',
        policyFile: 'string',
        evidenceFile: 'string',
      });
    }
    expect(
      services.find((s: { serviceId: string }) => s.serviceId === 'svc-0bcbf1bccea267be0'),
    ).toMatchObject({ authDenied: 70, review: 1 });
  });
});

describe('lattice-lens analyze (text)', () => {
  it('prints a plain summary on stdout and nothing on stderr when piped', async () => {
    const run = await lens('analyze', SAMPLE, '--out', join(work, 'text'));
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Read 4,000 records into [\d,]+ hourly call patterns; 4 line/);
    expect(run.stdout).not.toContain(ESC);
    expect(run.stdout).not.toContain('\r');
  });
});

describe('lattice-lens analyze on a service with too many callers for one policy', () => {
  /** One log line per caller: `callers` roles of `accounts` accounts, all on one service. */
  async function manyCallers(name: string, callers: number, accounts: number): Promise<string> {
    const sample = await readFile(`${SAMPLE}/2026/11/20/service-network-access-00.log`, 'utf8');
    const first = JSON.parse(sample.slice(0, sample.indexOf('\n'))) as Record<string, unknown>;
    const lines = Array.from({ length: callers }, (_, i) =>
      JSON.stringify({
        ...first,
        callerPrincipal: `arn:aws:sts::${100_000_000_000 + (i % accounts)}:assumed-role/caller-${i}/s`,
      }),
    );
    const file = join(work, name);
    await writeFile(file, `${lines.join('\n')}\n`);
    return file;
  }

  it('names the roles of a few accounts by account, and says so', async () => {
    const run = await lens(
      'analyze',
      await manyCallers('few-accounts.log', 300, 3),
      '--out',
      join(work, 'few'),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('roles and users granted by account to fit the size limit)');
  });

  it('says in the summary when not even accounts fit: PutAuthPolicy would reject the policy', async () => {
    const run = await lens(
      'analyze',
      await manyCallers('many-accounts.log', 900, 900),
      '--out',
      join(work, 'many'),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      / \d{2},\d{3} characters, over the size limit: PutAuthPolicy will reject it\)/,
    );
    expect(run.stdout).not.toContain('coarsened to fit');
  });
});

describe('lattice-lens analyze without WebAssembly', () => {
  it('writes the same files where node runs no WebAssembly (--jitless), reading lines as text', async () => {
    const textOnly = join(work, 'jitless');
    const run = await lensOnNode(['--jitless'], 'analyze', SAMPLE, '--out', textOnly, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.replaceAll(textOnly, out))).toEqual(JSON.parse(analyzed.stdout));
    const expected = await filesUnder(out);
    const actual = await filesUnder(textOnly);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, bytes] of expected) expect(actual.get(path)?.equals(bytes), path).toBe(true);
  }, 60_000);
});

describe('lattice-lens report', () => {
  let reported: Run;
  const rebuilt = () => join(work, 'rebuilt', 'report.html');

  beforeAll(async () => {
    reported = await lens('report', '--summaries', out, '--out', rebuilt(), '--json');
  });

  it('rebuilds from the stored summaries exactly the report.html analyze wrote', async () => {
    expect(reported.code).toBe(0);
    expect(reported.stderr).toBe('');
    const [fromLogs, fromSummaries] = await Promise.all([
      readFile(join(out, 'report.html')),
      readFile(rebuilt()),
    ]);
    expect(fromSummaries.equals(fromLogs)).toBe(true);
  });

  it('prints one JSON object with exactly these keys and types', () => {
    const result = JSON.parse(reported.stdout);
    expect(shape(result)).toEqual({
      summaries: 'array',
      patterns: 'number',
      window: 'object',
      services: 'array',
      report: 'string',
    });
    expect(result.summaries).toHaveLength(48);
    expect(result.report).toBe(rebuilt());
    expect(result.window).toEqual({
      from: '2026-11-20T00:00:20.000Z',
      to: '2026-11-21T23:59:41.000Z',
    });
    expect(result.patterns).toBe(JSON.parse(analyzed.stdout).patterns);
    expect(result.services).toHaveLength(7);
    for (const service of result.services) {
      expect(shape(service)).toEqual({
        serviceId: 'string',
        serviceArn: 'string',
        statements: 'number',
        grantedRequests: 'number',
        authDenied: 'number',
        spikes: 'number',
        review: 'number',
      });
    }
  });

  it('accepts the summaries folder itself as well as the analyze output folder', async () => {
    const run = await lens(
      'report',
      '--summaries',
      join(out, 'summaries'),
      '--out',
      join(work, 'again.html'),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Read 48 summaries/);
    expect((await readFile(join(work, 'again.html'))).equals(await readFile(rebuilt()))).toBe(true);
  });

  it('accepts a day or an hour folder of the partitions, reading only the summaries under it', async () => {
    const day = await lens(
      'report',
      '--summaries',
      join(out, 'summaries', 'dt=2026-11-20'),
      '--out',
      join(work, 'day.html'),
    );
    expect([day.code, day.stderr]).toEqual([0, '']);
    expect(day.stdout).toMatch(/^Read 24 summaries/);
    const hour = await lens(
      'report',
      '--summaries',
      join(out, 'summaries', 'dt=2026-11-20', 'hour=06'),
      '--out',
      join(work, 'hour.html'),
    );
    expect([hour.code, hour.stderr]).toEqual([0, '']);
    expect(hour.stdout).toMatch(/^Read 1 summar/);
  });

  it('rebuilds the report of an analyze run with --min-days and --org-id when given the same options', async () => {
    const options = ['--min-days', '2', '--org-id', 'o-a1b2c3d4e5'];
    const strict = join(work, 'strict');
    expect((await lens('analyze', SAMPLE, '--out', strict, ...options)).code).toBe(0);
    const again = join(work, 'strict-again.html');
    const run = await lens('report', '--summaries', strict, '--out', again, ...options);
    expect(run.code).toBe(0);
    const [fromLogs, fromSummaries] = await Promise.all([
      readFile(join(strict, 'report.html')),
      readFile(again),
    ]);
    expect(fromSummaries.equals(fromLogs)).toBe(true);
    // Not the default report: the options change what it shows.
    expect(fromLogs.equals(await readFile(rebuilt()))).toBe(false);
  });
});

describe('exit codes and one-line reasons', () => {
  let emptyDir: string;
  let badGzipDir: string;
  let onlyBadLines: string;
  let corruptSummaries: string;
  let strayParquet: string;

  beforeAll(async () => {
    emptyDir = join(work, 'empty');
    await mkdir(join(emptyDir, 'nested'), { recursive: true });
    badGzipDir = join(work, 'bad-gzip');
    await mkdir(badGzipDir);
    // gzip magic bytes, then something that is not deflate data.
    await writeFile(
      join(badGzipDir, 'access.log'),
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0xff, 0xff]),
    );
    onlyBadLines = join(work, 'bad-lines.log');
    await writeFile(onlyBadLines, 'not json\n{"startTime":\n');
    corruptSummaries = join(work, 'corrupt');
    await mkdir(join(corruptSummaries, 'summaries/dt=2026-11-20/hour=10'), { recursive: true });
    await writeFile(
      join(corruptSummaries, 'summaries/dt=2026-11-20/hour=10/analyze.parquet'),
      'PAR1 not really',
    );
    strayParquet = join(work, 'stray');
    await mkdir(strayParquet);
    await writeFile(join(strayParquet, 'patterns.parquet'), 'PAR1');
  });

  it('0 for --version, which prints the package version', async () => {
    const run = await lens('--version');
    expect(run).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it.each([[[]], [['analyze']], [['report']]])(
    '0 for --help %j, which shows examples',
    async (args) => {
      const run = await lens(...args, '--help');
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('Examples:\n  $ lattice-lens ');
    },
  );

  it('2 without a command', async () => {
    expectFailure(await lens(), 2, /missing command: one of analyze, report/);
  });

  it('2 for an unknown command', async () => {
    expectFailure(await lens('analyse', SAMPLE), 2, /unknown command 'analyse'/);
  });

  it('2 for help on an unknown command, in one line rather than the whole help', async () => {
    expectFailure(await lens('help', 'analyse'), 2, /unknown command 'analyse'/);
  });

  it.each([['analyze'], ['help']])('0 for help on a command (%s), on stdout', async (topic) => {
    const run = await lens('help', topic);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Usage: lattice-lens /);
  });

  it('2 when analyze has no --out', async () => {
    expectFailure(await lens('analyze', SAMPLE), 2, /required option '-o, --out <dir>'/);
  });

  it('2 for an unknown option', async () => {
    expectFailure(
      await lens('analyze', SAMPLE, '--out', join(work, 'x'), '--colour'),
      2,
      /unknown option '--colour'/,
    );
  });

  it('2 for an invalid option value', async () => {
    expectFailure(
      await lens('analyze', SAMPLE, '--out', join(work, 'x'), '--min-requests', 'many'),
      2,
      /'--min-requests <n>' argument 'many' is invalid/,
    );
  });

  it('2 for an input that does not exist, naming it', async () => {
    const missing = join(work, 'no-such-logs');
    expectFailure(
      await lens('analyze', missing, '--out', join(work, 'x')),
      2,
      new RegExp(`cannot read ${missing}: no such file or directory \\(ENOENT\\)`),
    );
  });

  it('2 for a directory that holds no log files', async () => {
    expectFailure(
      await lens('analyze', emptyDir, '--out', join(work, 'x')),
      2,
      new RegExp(`no log files found under ${emptyDir}`),
    );
  });

  it('2 for a gzip file that does not decompress, naming the file', async () => {
    expectFailure(
      await lens('analyze', badGzipDir, '--out', join(work, 'x')),
      2,
      /bad-gzip\/access\.log: corrupt or truncated gzip data/,
    );
  });

  it('2 when no line of the input is a valid record, quoting the first rejection', async () => {
    expectFailure(
      await lens('analyze', onlyBadLines, '--out', join(work, 'x')),
      2,
      /no valid access-log records in .*bad-lines\.log \(2 line\(s\) rejected, first: .*bad-lines\.log:1: not valid JSON/,
    );
  });

  it('2 for an output directory that cannot be created', async () => {
    expectFailure(
      await lens('analyze', SAMPLE, '--out', join(onlyBadLines, 'out')),
      2,
      /cannot write .*bad-lines\.log\/out.*: not a directory \(ENOTDIR\)/,
    );
  });

  it('2 for a report whose folder would be a file, saying so', async () => {
    expectFailure(
      await lens('report', '--summaries', out, '--out', join(onlyBadLines, 'report.html')),
      2,
      /cannot write .*bad-lines\.log: it is a file, not a directory \(EEXIST\)/,
    );
  });

  it('2 when report has no --out', async () => {
    expectFailure(
      await lens('report', '--summaries', out),
      2,
      /required option '-o, --out <file>'/,
    );
  });

  it('2 when --summaries does not exist', async () => {
    const missing = join(work, 'no-such-summaries');
    expectFailure(
      await lens('report', '--summaries', missing, '--out', join(work, 'r.html')),
      2,
      new RegExp(`cannot read ${missing}: no such file or directory`),
    );
  });

  it('2 when --summaries holds no summaries', async () => {
    expectFailure(
      await lens('report', '--summaries', emptyDir, '--out', join(work, 'r.html')),
      2,
      /no summaries under .*empty: expected summaries\/dt=YYYY-MM-DD\/hour=HH\/\*\.parquet/,
    );
  });

  it('2 for a summary that is not readable Parquet, naming the file', async () => {
    expectFailure(
      await lens('report', '--summaries', corruptSummaries, '--out', join(work, 'r.html')),
      2,
      /corrupt\/summaries\/dt=2026-11-20\/hour=10\/analyze\.parquet: summary is not a Parquet file/,
    );
  });

  it('2 for a .parquet file outside a dt=/hour= partition, rather than skipping it', async () => {
    expectFailure(
      await lens('report', '--summaries', strayParquet, '--out', join(work, 'r.html')),
      2,
      /stray\/patterns\.parquet is not a summary: expected …\/dt=YYYY-MM-DD\/hour=HH\/<name>\.parquet/,
    );
  });
});
