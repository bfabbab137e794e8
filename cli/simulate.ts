// `lattice-lens simulate`: would these auth policies allow the logged requests? Totals, the denied
// and unknown requests grouped by caller, and a CI gate on successful requests it would deny.
import { Command } from 'commander';
import {
  listAccessLogFiles,
  type ReadAccessLogsOptions,
  type RejectedLine,
  readAccessLogs,
} from '../shared/log/index.ts';
import {
  PolicySet,
  type RequestGroup,
  type SimulationResult,
  simulateLogs,
} from '../shared/policy/index.ts';
import { noValidRecordsError } from './no-valid-records.ts';
import { CheckFailedError, printJson } from './output.ts';
import { loadPolicies, resourceId } from './policy-input.ts';
import { type Colours, colours, terminalFor } from './terminal.ts';

export interface SimulateOptions {
  /** A policy file, or a directory of `<svc-id>.json` files. */
  policy: string;
  /** The service (or network) a single policy file governs, when its name does not say. */
  service?: string;
}

/** Groups shown per section in the text output; `--json` lists them all. */
const SHOWN_GROUPS = 15;

export async function runSimulate(
  inputs: string[],
  options: SimulateOptions,
  reading: ReadAccessLogsOptions = {},
): Promise<SimulationResult> {
  const policies = new PolicySet(
    await loadPolicies(
      options.policy,
      options.service === undefined ? {} : { resourceId: options.service },
    ),
  );
  const result = await simulateLogs(readAccessLogs(inputs, reading), policies);
  // Nothing simulated is nothing denied: --fail-on-deny would pass on a wrong folder.
  if (result.records === 0) {
    throw noValidRecordsError(inputs, result.rejectedLines, await firstRejection(inputs));
  }
  return result;
}

/**
 * The first rejected line of `inputs`, read again on failure only: the simulation keeps counts,
 * not lines, and noting each rejection on the way would slow every successful run.
 */
async function firstRejection(inputs: string[]): Promise<RejectedLine | undefined> {
  for await (const line of readAccessLogs(inputs)) if (!line.ok) return line.rejected;
  return undefined;
}

const n = (x: number) => x.toLocaleString('en-US');

/** Request groups as indented lines: count, caller, service, method and path, then why. */
export function formatGroups(
  groups: readonly RequestGroup[],
  colour: Colours,
  shown = SHOWN_GROUPS,
): string[] {
  const lines: string[] = [];
  for (const group of groups.slice(0, shown)) {
    lines.push(
      `  ${n(group.requests).padStart(7)}  ${group.caller}  ${group.serviceId}  ${colour.bold(`${group.method} ${group.pathTemplate}`)}`,
    );
    const inLogs = [
      group.successful > 0 ? `${n(group.successful)} succeeded` : '',
      group.authDenied > 0 ? `${n(group.authDenied)} auth-denied` : '',
    ].filter((s) => s !== '');
    lines.push(
      `           in the logs: ${inLogs.join(', ')}; decided by ${group.decidedBy.join(', ') || 'nothing'}`,
    );
    if (group.unknown.length > 0) lines.push(`           unknown: ${group.unknown.join('; ')}`);
  }
  if (groups.length > shown) {
    lines.push(`  … and ${n(groups.length - shown)} more group(s) (--json lists them all)`);
  }
  return lines;
}

export function formatSimulation(
  result: SimulationResult,
  colour: Colours = colours(false),
): string {
  const requests = result.allowed + result.denied + result.unknown;
  const lines = [
    `Simulated ${result.policies.length} polic${result.policies.length === 1 ? 'y' : 'ies'} on ${n(requests)} request(s)${result.window ? `, ${result.window.from} → ${result.window.to}` : ''}; ${n(result.rejectedLines)} line(s) rejected.`,
    '',
    '                  requests  succeeded in logs  auth-denied in logs',
  ];
  const row = (label: string, total: number, ok: number, denied: number) =>
    `  ${label.padEnd(12)}${n(total).padStart(10)}${n(ok).padStart(19)}${n(denied).padStart(21)}`;
  lines.push(
    row('allowed', result.allowed, result.successful.allowed, result.authDeniedInLogs.allowed),
    row('denied', result.denied, result.successful.denied, result.authDeniedInLogs.denied),
    row('unknown', result.unknown, result.successful.unknown, result.authDeniedInLogs.unknown),
    `  ${'unevaluated'.padEnd(12)}${n(result.unevaluated).padStart(10)}   no policy given for the service${result.resourceConnections > 0 ? `, or a TCP connection (${n(result.resourceConnections)})` : ''}`,
  );
  const sections: [string, RequestGroup[]][] = [
    ['Denied', result.deniedRequests],
    ['Unknown (the logs cannot tell)', result.unknownRequests],
    ['Allowed, but auth-denied in the logs', result.allowedAuthDenied],
  ];
  for (const [title, groups] of sections) {
    if (groups.length === 0) continue;
    const total = groups.reduce((sum, g) => sum + g.requests, 0);
    lines.push('', `${title}: ${n(total)} request(s), by caller, service, method and path:`);
    lines.push(...formatGroups(groups, colour));
  }
  if (result.unevaluatedServices.length > 0) {
    lines.push('', 'Not evaluated (no policy given):');
    for (const s of result.unevaluatedServices) {
      lines.push(`  ${n(s.requests).padStart(7)}  ${s.serviceArn}`);
    }
  }
  lines.push(
    '',
    result.successful.denied === 0
      ? colour.green('No request that succeeded in the logs would be denied.')
      : colour.red(
          `${n(result.successful.denied)} request(s) that succeeded in the logs would be denied.`,
        ),
  );
  return `${lines.join('\n')}\n`;
}

export function simulateCommand(): Command {
  return new Command('simulate')
    .description('Apply auth policies to logged requests: what each would allow or deny, and why.')
    .argument('<inputs...>', 'access-log files or directories (JSON lines, plain or gzip)')
    .requiredOption(
      '-p, --policy <file|dir>',
      'an auth-policy file, or a directory of <svc-id>.json policies (an analyze out/policies)',
    )
    .option(
      '--service <id>',
      'the service (svc-…) or service network (sn-…) a single policy file governs',
      resourceId,
    )
    .option('--json', 'print a machine-readable result on stdout', false)
    .option(
      '--fail-on-deny',
      'exit 1 when a request that succeeded in the logs would be denied',
      false,
    )
    .addHelpText(
      'after',
      `
A policy file governs the service its name says (svc-….json, as analyze writes them), or the
one service its resources name, or the one --service names (which must not contradict them).
Requests to services without a policy are counted as unevaluated. A decision that depends on
what the logs cannot tell (the listener port, request headers, …) is reported as unknown, never
guessed.

Examples:
  $ lattice-lens simulate --policy out/policies sample-logs/access-logs
  $ lattice-lens simulate --policy current.json --service svc-0a40974812b61bafb logs/ --json
  $ lattice-lens simulate --policy out/policies logs/ --fail-on-deny   # CI gate`,
    )
    .action(
      async (
        inputs: string[],
        options: SimulateOptions & { json: boolean; failOnDeny: boolean },
      ) => {
        const term = terminalFor(options);
        const files = await listAccessLogFiles(inputs);
        const progress = term.progress(
          'Reading logs',
          files.reduce((sum, f) => sum + f.bytes, 0),
        );
        let result: SimulationResult;
        try {
          result = await runSimulate(inputs, options, { onBytes: progress.advance });
        } finally {
          progress.done();
        }
        if (options.json) printJson(result);
        else process.stdout.write(formatSimulation(result, term.colour));
        if (options.failOnDeny && result.successful.denied > 0) {
          throw new CheckFailedError(
            `${n(result.successful.denied)} request(s) that succeeded in the logs would be denied`,
          );
        }
      },
    );
}
