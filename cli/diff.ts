// `lattice-lens diff`: the current auth policy of a service against the suggested one (given, or
// generated from the logs): statements added and removed, unused grants, changed outcomes.
import { Command } from 'commander';
import { readAccessLogs } from '../shared/log/index.ts';
import {
  type DiffedStatement,
  diffPolicies,
  type PolicyDiff,
  PolicyDiffError,
  type PolicyStatement,
  type ReadPolicyOptions,
} from '../shared/policy/index.ts';
import { positiveInteger } from './options.ts';
import { printJson } from './output.ts';
import { generateOptionsOf, loadPolicies, organizationId, resourceId } from './policy-input.ts';
import { type Colours, colours, terminalFor } from './terminal.ts';
import { UsageError } from './usage-error.ts';

export interface DiffOptions {
  current: string;
  suggested?: string;
  service?: string;
  minRequests?: number;
  minDays?: number;
  orgId?: string;
}

async function onePolicy(path: string, options: ReadPolicyOptions) {
  const policies = await loadPolicies(path, options);
  if (policies.length !== 1) {
    throw new UsageError(`diff compares one policy: ${path} holds ${policies.length}`);
  }
  return policies[0] as (typeof policies)[number];
}

export async function runDiff(inputs: string[], options: DiffOptions): Promise<PolicyDiff> {
  const service = options.service === undefined ? {} : { resourceId: options.service };
  const current = await onePolicy(options.current, service);
  // A suggested file that does not say which service it governs is taken for the current one's;
  // one that says another is an error diffPolicies reports.
  const suggested =
    options.suggested === undefined
      ? undefined
      : await onePolicy(options.suggested, { ...service, defaultResourceId: current.resourceId });
  const generate = generateOptionsOf(options);
  try {
    return await diffPolicies(() => readAccessLogs(inputs), current, suggested, generate);
  } catch (error) {
    if (error instanceof PolicyDiffError) throw new UsageError(`diff: ${error.message}`);
    throw error;
  }
}

const n = (x: number) => x.toLocaleString('en-US');

function list(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A resource ARN of the service `serviceId` as its path (`/api/*`); other ARNs as they are. */
function shortResource(arn: string, serviceId: string): string {
  const prefix = new RegExp(`^arn:[^:]+:vpc-lattice:[^:]*:[^:]*:service/${serviceId}(?=/|$)`);
  const path = arn.replace(prefix, '');
  return path === arn ? arn : path || '(the service)';
}

/** One line: effect, who, which methods, on what (paths of `serviceId` without their ARN). */
export function describeStatement(statement: PolicyStatement, serviceId = ''): string {
  const short = (value: string | string[] | undefined) =>
    list(
      value === undefined
        ? undefined
        : (Array.isArray(value) ? value : [value]).map((v) => shortResource(v, serviceId)),
    );
  const principal =
    statement.Principal !== undefined
      ? statement.Principal === '*'
        ? '*'
        : list(statement.Principal.AWS)
      : `everyone but ${statement.NotPrincipal === '*' ? '*' : list(statement.NotPrincipal?.AWS)}`;
  const methods = statement.Condition?.StringEquals?.['vpc-lattice-svcs:RequestMethod'];
  const resources =
    statement.Resource !== undefined
      ? short(statement.Resource)
      : `everything but ${short(statement.NotResource)}`;
  const conditions = Object.entries(statement.Condition ?? {}).flatMap(([operator, keys]) =>
    Object.entries(keys)
      .filter(([key]) => !(operator === 'StringEquals' && key === 'vpc-lattice-svcs:RequestMethod'))
      .map(([key, value]) => `${key} ${operator} ${list(value)}`),
  );
  return `${statement.Effect} ${principal} ${methods === undefined ? 'any method' : list(methods)} on ${resources}${conditions.length > 0 ? ` if ${conditions.join(' and ')}` : ''}`;
}

function statementLines(sign: string, statements: DiffedStatement[], serviceId: string): string[] {
  return statements.flatMap((s) => [
    `  ${sign} ${s.sid}: ${describeStatement(s.statement, serviceId)}`,
    `      applied to ${n(s.requests)} request(s) in the window${s.evidence ? `; evidence: ${n(s.evidence.requests)} successful request(s) on ${s.evidence.daysSeen} day(s), callers ${s.evidence.callers.map((c) => c.caller).join(', ')}${s.evidence.isRare ? ' (rare)' : ''}` : ''}`,
  ]);
}

export function formatDiff(diff: PolicyDiff, colour: Colours = colours(false)): string {
  const lines = [
    `${diff.governs}: current ${diff.current.source} (${diff.current.statements} statement(s)) against ${diff.suggested.source} (${diff.suggested.statements} statement(s)), on ${n(diff.requests)} request(s)${diff.window ? ` from ${diff.window.from} to ${diff.window.to}` : ''}.`,
    '',
    '               current  suggested',
    `  allowed   ${n(diff.current.allowed).padStart(10)} ${n(diff.suggested.allowed).padStart(10)}`,
    `  denied    ${n(diff.current.denied).padStart(10)} ${n(diff.suggested.denied).padStart(10)}`,
    `  unknown   ${n(diff.current.unknown).padStart(10)} ${n(diff.suggested.unknown).padStart(10)}`,
  ];
  if (diff.removed.length > 0) {
    lines.push(
      '',
      colour.red('Removed (in the current policy only):'),
      ...statementLines('-', diff.removed, diff.governs),
    );
  }
  if (diff.added.length > 0) {
    lines.push(
      '',
      colour.green('Added (in the suggested policy only):'),
      ...statementLines('+', diff.added, diff.governs),
    );
  }
  if (diff.unchanged.length > 0) {
    lines.push(
      '',
      `Unchanged: ${diff.unchanged.map((u) => (u.current === u.suggested ? u.current : `${u.current} = ${u.suggested}`)).join(', ')}`,
    );
  }
  lines.push('', 'Unused grants of the current policy (no request of the window used them):');
  if (diff.unused.length === 0) lines.push('  none');
  for (const grant of diff.unused) {
    lines.push(
      grant.element === 'statement'
        ? `  ${colour.yellow(grant.sid)}: the whole statement`
        : `  ${colour.yellow(grant.sid)}: ${grant.element} ${grant.element === 'resource' ? shortResource(grant.value, diff.governs) : grant.value} (the statement applied to ${n(grant.statementRequests)} request(s) through its other ${grant.element}s)`,
    );
  }
  lines.push('', 'Requests whose outcome would change (current → suggested):');
  if (diff.changes.length === 0) lines.push('  none');
  for (const change of diff.changes) {
    lines.push(
      `  ${n(change.requests).padStart(7)}  ${change.caller}  ${change.method} ${change.pathTemplate}: ${change.current} → ${change.suggested === 'deny' ? colour.red(change.suggested) : change.suggested}  (in the logs: ${n(change.successful)} succeeded, ${n(change.authDenied)} auth-denied)`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function diffCommand(): Command {
  return new Command('diff')
    .description(
      'Compare a current auth policy with the suggested one on logged traffic: added, removed, unused, changed.',
    )
    .argument('<inputs...>', 'access-log files or directories (JSON lines, plain or gzip)')
    .requiredOption('--current <policy>', 'the policy the service has now (a JSON file)')
    .option(
      '--suggested <policy>',
      'the policy to compare with (default: generated from the logs, as analyze would)',
    )
    .option(
      '--service <id>',
      'the service the policies govern, when the file name (svc-….json) and resources do not say',
      resourceId,
    )
    .option('--json', 'print a machine-readable result on stdout', false)
    .option('--min-requests <n>', 'as analyze, for the generated suggestion', positiveInteger)
    .option('--min-days <n>', 'as analyze, for the generated suggestion', positiveInteger)
    .option('--org-id <o-id>', 'as analyze, for the generated suggestion', organizationId)
    .addHelpText(
      'after',
      `
Examples:
  $ aws vpc-lattice get-auth-policy --resource-identifier svc-0a40974812b61bafb \\
      --query policy --output text > current.json
  $ lattice-lens diff --current current.json --service svc-0a40974812b61bafb sample-logs/access-logs
  $ lattice-lens diff --current current.json --suggested out/policies/svc-0a40974812b61bafb.json logs/ --json`,
    )
    .action(async (inputs: string[], options: DiffOptions & { json: boolean }) => {
      const term = terminalFor(options);
      const result = await runDiff(inputs, options);
      if (options.json) printJson(result);
      else process.stdout.write(formatDiff(result, term.colour));
    });
}
