// `lattice-lens analyze`: logs in, summaries + policies + evidence + report out, a short summary printed.
import { join } from 'node:path';
import { Command } from 'commander';
import { formatRejection, listAccessLogFiles, type RejectedLine } from '../shared/log/index.ts';
import {
  type AggregateFilesOptions,
  aggregateLogFiles,
  suggestionFiles,
  summaryFiles,
} from '../shared/pipeline/index.ts';
import { type PolicyFormat, policyFileName, renderPolicyFile } from '../shared/policy/index.ts';
import { noValidRecordsError } from './no-valid-records.ts';
import { positiveInteger } from './options.ts';
import { printJson } from './output.ts';
import { generateOptionsOf, organizationId, policyFormats } from './policy-input.ts';
import { replaceOutputs } from './replace-outputs.ts';
import { type Colours, colours, terminalFor } from './terminal.ts';

export interface AnalyzeOptions {
  out: string;
  minRequests: number;
  /** Flag statements seen on fewer distinct UTC days (default 1). */
  minDays?: number;
  /** Require aws:PrincipalOrgID in every signed-principal statement. */
  orgId?: string;
  /** Renderings to write beside each policies/<svc-id>.json (which is always written). */
  formats?: PolicyFormat[];
}

/** Name of the summary objects analyze writes in each hour partition. */
const SUMMARY_NAME = 'analyze';
/** What analyze writes under --out. */
const OUTPUTS = ['summaries', 'policies', 'report.html'];
const SHOWN_REJECTIONS = 5;

export interface AnalyzeResult {
  inputs: string[];
  records: number;
  rejectedLines: number;
  /** The first rejected lines, in input order (at most MAX_KEPT_REJECTIONS). */
  rejections: RejectedLine[];
  patterns: number;
  summaries: string[];
  services: {
    serviceId: string;
    serviceArn: string;
    statements: number;
    grantedRequests: number;
    authDenied: number;
    review: number;
    policySize: number;
    coarsened: boolean;
    /** Over the auth-policy size limit even at the coarsest: PutAuthPolicy would reject it. */
    exceedsSizeLimit: boolean;
    /** Roles and users granted by their account to fit the size limit (principals-to-accounts). */
    principalsByAccount: boolean;
    policyFile: string;
    evidenceFile: string;
    /**
     * Terraform (.tf) and CloudFormation (.cfn.json) renderings written, per --format; absent
     * without them, so the default output keeps its shape.
     */
    renderings?: string[];
  }[];
  report: string;
}

/** Runs the analysis and writes its files; returns what the command prints. */
export async function runAnalyze(
  inputs: string[],
  options: AnalyzeOptions,
  reading: AggregateFilesOptions = {},
): Promise<AnalyzeResult> {
  const aggregate = await aggregateLogFiles(inputs, reading);
  if (aggregate.records === 0) {
    throw noValidRecordsError(inputs, aggregate.rejectedLines, aggregate.rejections[0]);
  }
  const extraFormats = (options.formats ?? []).filter((f) => f !== 'json');

  // analyze owns these: a re-run replaces them whole, and a run that fails leaves them as they were.
  // Each file is written on another thread while this one encodes the next or builds the policies.
  const summaries: string[] = [];
  const policies = await replaceOutputs(options.out, OUTPUTS, (write) => {
    for (const summary of summaryFiles(aggregate.patterns, SUMMARY_NAME)) {
      write(summary);
      summaries.push(join(options.out, summary.key));
    }
    const { policies, files } = suggestionFiles(aggregate.patterns, generateOptionsOf(options));
    for (const file of files) write(file);
    for (const policy of policies) {
      for (const format of extraFormats) {
        write({
          key: `policies/${policyFileName(policy.serviceId, format)}`,
          body: renderPolicyFile({ ...policy, window: policy.evidence.window }, format),
          contentType: 'text/plain; charset=utf-8',
        });
      }
    }
    return policies;
  });

  const services = policies.map((p) => ({
    serviceId: p.serviceId,
    serviceArn: p.serviceArn,
    statements: p.policy.Statement.length,
    grantedRequests: p.evidence.totals.grantedRequests,
    authDenied: p.evidence.totals.authDenied,
    review: p.evidence.review.length,
    policySize: p.evidence.policySize,
    coarsened: p.evidence.coarsening.length > 0,
    exceedsSizeLimit: p.evidence.exceedsSizeLimit,
    principalsByAccount: p.evidence.coarsening.some((c) => c.step === 'principals-to-accounts'),
    policyFile: join(options.out, 'policies', `${p.serviceId}.json`),
    evidenceFile: join(options.out, 'policies', `${p.serviceId}.evidence.json`),
    ...(extraFormats.length === 0
      ? {}
      : {
          renderings: extraFormats.map((f) =>
            join(options.out, 'policies', policyFileName(p.serviceId, f)),
          ),
        }),
  }));

  return {
    inputs,
    records: aggregate.records,
    rejectedLines: aggregate.rejectedLines,
    rejections: aggregate.rejections,
    patterns: aggregate.patterns.length,
    summaries,
    services,
    report: join(options.out, 'report.html'),
  };
}

/** The human summary of an analysis, a few lines for a terminal. */
export function formatAnalyze(
  result: AnalyzeResult,
  out: string,
  colour: Colours = colours(false),
): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `Read ${n(result.records)} records into ${n(result.patterns)} hourly call patterns; ${n(result.rejectedLines)} line(s) rejected.`,
  ];
  for (const rejection of result.rejections.slice(0, SHOWN_REJECTIONS)) {
    lines.push(`  ${colour.yellow('rejected')} ${formatRejection(rejection)}`);
  }
  if (result.rejectedLines > SHOWN_REJECTIONS) {
    lines.push(`  … and ${n(result.rejectedLines - SHOWN_REJECTIONS)} more`);
  }
  lines.push('', `Suggested auth policies for ${result.services.length} service(s):`);
  const width = Math.max(...result.services.map((s) => s.serviceId.length));
  for (const s of result.services) {
    const flags = [
      s.review > 0 ? colour.yellow(`${s.review} to review`) : '',
      s.exceedsSizeLimit
        ? colour.red(
            `${n(s.policySize)} characters, over the size limit: PutAuthPolicy will reject it`,
          )
        : s.principalsByAccount
          ? colour.yellow('roles and users granted by account to fit the size limit')
          : s.coarsened
            ? colour.yellow('coarsened to fit the size limit')
            : '',
      s.statements === 0 ? colour.red('no successful traffic: allows nobody') : '',
    ].filter((f) => f !== '');
    lines.push(
      `  ${s.serviceId.padEnd(width)}  ${String(s.statements).padStart(2)} statement(s)  ${n(s.grantedRequests).padStart(9)} granted  ${n(s.authDenied).padStart(7)} auth-denied${flags.length > 0 ? `  (${flags.join(', ')})` : ''}`,
    );
  }
  lines.push(
    '',
    `Wrote ${result.summaries.length} summaries under ${join(out, 'summaries')}, policies and evidence under ${join(out, 'policies')}, and ${colour.bold(result.report)}.`,
  );
  return `${lines.join('\n')}\n`;
}

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description(
      'Aggregate access logs into call-pattern summaries and suggest one auth policy per service.',
    )
    .argument('<inputs...>', 'access-log files or directories (JSON lines, plain or gzip)')
    .requiredOption('-o, --out <dir>', 'output directory')
    .option('--json', 'print a machine-readable summary on stdout', false)
    .option(
      '--min-requests <n>',
      'flag statements backed by fewer successful requests',
      positiveInteger,
      5,
    )
    .option('--min-days <n>', 'flag statements seen on fewer distinct UTC days', positiveInteger, 1)
    .option(
      '--org-id <o-id>',
      'require aws:PrincipalOrgID in every statement that names signed principals',
      organizationId,
    )
    .option(
      '--format <formats>',
      'also write policies/<svc-id>.tf (terraform) and/or .cfn.json (cloudformation); comma-separated',
      policyFormats,
      ['json'],
    )
    .addHelpText(
      'after',
      `
Examples:
  $ lattice-lens analyze sample-logs/access-logs --out out
  $ lattice-lens analyze /var/log/lattice/ --out out --json
  $ lattice-lens analyze logs/ --out out --org-id o-e87cb45c05 --min-days 2 --format terraform,cloudformation`,
    )
    .action(
      async (
        inputs: string[],
        {
          format,
          ...rest
        }: Omit<AnalyzeOptions, 'formats'> & { json: boolean; format: PolicyFormat[] },
      ) => {
        const options = { ...rest, formats: format };
        const term = terminalFor(options);
        const files = await listAccessLogFiles(inputs);
        const progress = term.progress(
          'Reading logs',
          files.reduce((sum, f) => sum + f.bytes, 0),
        );
        let result: AnalyzeResult;
        try {
          result = await runAnalyze(inputs, options, { onBytes: progress.advance });
        } finally {
          progress.done();
        }
        if (options.json) printJson(result);
        else process.stdout.write(formatAnalyze(result, options.out, term.colour));
      },
    );
}
