// `lattice-lens report`: rebuilds report.html from stored Parquet summaries (an analyze output
// directory, or summaries synced from the bucket), with the policies analyze would suggest.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Command } from 'commander';
import { decodeSummary, parseSummaryKey, SummaryFormatError } from '../shared/columnar/index.ts';
import { InputError } from '../shared/log/index.ts';
import { mergePatternLists } from '../shared/patterns/index.ts';
import { seenRange } from '../shared/patterns/seen-range.ts';
import { suggestionFiles } from '../shared/pipeline/index.ts';
import { denialTimeline } from '../shared/report/index.ts';
import { positiveInteger } from './options.ts';
import { printJson } from './output.ts';
import { generateOptionsOf, organizationId } from './policy-input.ts';
import { type Colours, type Progress, terminalFor } from './terminal.ts';

export interface ReportOptions {
  summaries: string;
  out: string;
  minRequests: number;
  /** As analyze --min-days: give the analyze options to rebuild its report byte for byte. */
  minDays?: number;
  /** As analyze --org-id. */
  orgId?: string;
}

export interface ReportResult {
  /** Summary files read, in the order read. */
  summaries: string[];
  patterns: number;
  window: { from: string; to: string };
  services: {
    serviceId: string;
    serviceArn: string;
    statements: number;
    grantedRequests: number;
    authDenied: number;
    /** Periods the 403 spike rule marks, as in the report's timeline. */
    spikes: number;
    review: number;
  }[];
  report: string;
}

export interface SummaryFile {
  path: string;
  /** The UTC hour of its partition, `YYYY-MM-DDTHH`. */
  hour: string;
  bytes: number;
}

/**
 * Every summary under `dir`, sorted: `*.parquet` files whose last three path parts are
 * `dt=YYYY-MM-DD/hour=HH/<name>.parquet` (so `out`, `out/summaries` and a bucket copy all work).
 * Other files are not summaries and are passed over; a `.parquet` file outside a partition is
 * an error, not a silent skip.
 */
export async function listSummaryFiles(dir: string): Promise<SummaryFile[]> {
  const files: SummaryFile[] = [];
  const walk = async (directory: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      throw InputError.fromFileSystem(directory, error);
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(directory, name);
      const entry = await stat(path).catch((error: unknown) => {
        throw InputError.fromFileSystem(path, error);
      });
      if (entry.isDirectory()) {
        await walk(path);
      } else if (entry.isFile() && name.endsWith('.parquet')) {
        // From the whole path: --summaries may name a day or an hour folder, inside the partition.
        const partition = resolve(path).split(sep).slice(-3).join('/');
        const key = parseSummaryKey(`summaries/${partition}`);
        if (key === undefined) {
          throw new InputError(
            `${path} is not a summary: expected …/dt=YYYY-MM-DD/hour=HH/<name>.parquet`,
            path,
          );
        }
        files.push({ path, hour: key.hour, bytes: entry.size });
      }
    }
  };
  const root = await stat(dir).catch((error: unknown) => {
    throw InputError.fromFileSystem(dir, error);
  });
  if (!root.isDirectory()) throw new InputError(`${dir} is not a directory`, dir);
  await walk(dir);
  if (files.length === 0) {
    throw new InputError(
      `no summaries under ${dir}: expected summaries/dt=YYYY-MM-DD/hour=HH/*.parquet (written by analyze)`,
      dir,
    );
  }
  return files;
}

/** Decodes one summary and checks its rows belong to the partition it is filed under. */
async function readSummary(file: SummaryFile) {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.path);
  } catch (error) {
    throw InputError.fromFileSystem(file.path, error);
  }
  try {
    const patterns = await decodeSummary(bytes);
    const stray = patterns.find((p) => p.hour !== file.hour);
    if (stray !== undefined) {
      throw new SummaryFormatError(`a row of hour ${stray.hour} is filed under hour ${file.hour}`);
    }
    return patterns;
  } catch (error) {
    if (error instanceof SummaryFormatError) {
      throw new SummaryFormatError(`${file.path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** Reads the summaries, suggests the policies, writes the report; returns what is printed. */
export async function runReport(
  options: ReportOptions,
  startProgress: (totalBytes: number) => Progress = () => ({ advance: () => {}, done: () => {} }),
): Promise<ReportResult> {
  const files = await listSummaryFiles(options.summaries);
  const progress = startProgress(files.reduce((sum, f) => sum + f.bytes, 0));
  const lists = [];
  try {
    for (const file of files) {
      lists.push(await readSummary(file));
      progress.advance(file.bytes);
    }
  } finally {
    progress.done();
  }
  // The same merge and the same suggestion step as analyze: the same report bytes.
  const patterns = mergePatternLists(lists);
  const { policies, files: outputs } = suggestionFiles(patterns, generateOptionsOf(options));
  const html = outputs.find((f) => f.key === 'report.html');
  if (html === undefined) throw new Error('suggestionFiles returned no report.html');
  await mkdir(dirname(options.out), { recursive: true });
  await writeFile(options.out, html.body);

  const spikes = new Map(
    denialTimeline(patterns).services.map((s) => [s.serviceArn, s.spikes.filter(Boolean).length]),
  );
  const { first, last } = seenRange(patterns);
  return {
    summaries: files.map((f) => f.path),
    patterns: patterns.length,
    window: {
      from: patterns.length === 0 ? '' : new Date(first).toISOString(),
      to: patterns.length === 0 ? '' : new Date(last).toISOString(),
    },
    services: policies.map((p) => ({
      serviceId: p.serviceId,
      serviceArn: p.serviceArn,
      statements: p.policy.Statement.length,
      grantedRequests: p.evidence.totals.grantedRequests,
      authDenied: p.evidence.totals.authDenied,
      spikes: spikes.get(p.serviceArn) ?? 0,
      review: p.evidence.review.length,
    })),
    report: options.out,
  };
}

/** The human summary of a report run, a few lines for a terminal. */
export function formatReport(result: ReportResult, colour: Colours): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `Read ${n(result.summaries.length)} summaries (${n(result.patterns)} hourly call patterns, ${result.window.from} → ${result.window.to}).`,
    '',
    `Report for ${result.services.length} service(s):`,
  ];
  const width = Math.max(0, ...result.services.map((s) => s.serviceId.length));
  for (const s of result.services) {
    const flags = [
      s.spikes > 0 ? colour.red(`${s.spikes} 403 spike(s)`) : '',
      s.review > 0 ? colour.yellow(`${s.review} to review`) : '',
    ].filter((f) => f !== '');
    const denied = `${n(s.authDenied).padStart(7)} auth-denied`;
    lines.push(
      `  ${s.serviceId.padEnd(width)}  ${String(s.statements).padStart(2)} statement(s)  ${n(s.grantedRequests).padStart(9)} granted  ${s.authDenied > 0 ? colour.red(denied) : denied}${flags.length > 0 ? `  (${flags.join(', ')})` : ''}`,
    );
  }
  lines.push('', `Wrote ${colour.bold(result.report)}.`);
  return `${lines.join('\n')}\n`;
}

export function reportCommand(): Command {
  return new Command('report')
    .description(
      'Rebuild the HTML report (call graph, 403 timeline, suggested policies) from stored summaries.',
    )
    .requiredOption(
      '-s, --summaries <dir>',
      'directory holding summaries/dt=…/hour=…/*.parquet (an analyze --out directory)',
    )
    .requiredOption('-o, --out <file>', 'the report file to write')
    .option('--json', 'print a machine-readable summary on stdout', false)
    .option(
      '--min-requests <n>',
      'flag statements backed by fewer successful requests (as analyze)',
      positiveInteger,
      5,
    )
    .option(
      '--min-days <n>',
      'flag statements seen on fewer distinct UTC days (as analyze)',
      positiveInteger,
      1,
    )
    .option(
      '--org-id <o-id>',
      'require aws:PrincipalOrgID in every statement naming signed principals (as analyze)',
      organizationId,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ lattice-lens report --summaries out --out out/report.html
  $ aws s3 sync s3://my-lattice-lens-bucket/summaries/ lens/summaries/
  $ lattice-lens report --summaries lens --out lens/report.html --json`,
    )
    .action(
      async (options: {
        summaries: string;
        out: string;
        json: boolean;
        minRequests: number;
        minDays: number;
        orgId?: string;
      }) => {
        const term = terminalFor(options);
        const result = await runReport(options, (total) =>
          term.progress('Reading summaries', total),
        );
        if (options.json) printJson(result);
        else process.stdout.write(formatReport(result, term.colour));
      },
    );
}
