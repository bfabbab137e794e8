// `lattice-lens backtest`: learn policies from the first part of the logs, replay the rest through
// them, and show which later legitimate requests they would have broken.
import { Command, InvalidArgumentError } from 'commander';
import { readAccessLogs } from '../shared/log/index.ts';
import { type BacktestResult, BacktestWindowError, backtest } from '../shared/policy/index.ts';
import { positiveInteger } from './options.ts';
import { printJson } from './output.ts';
import { generateOptionsOf, organizationId } from './policy-input.ts';
import { formatGroups } from './simulate.ts';
import { type Colours, colours, terminalFor } from './terminal.ts';
import { UsageError } from './usage-error.ts';

const UNIT_HOURS: Record<string, number> = { h: 1, d: 24, w: 168 };

/** `36h`, `1d`, `2w` → hours. Policies learn from hourly patterns, so whole hours only. */
export function trainingHours(value: string): number {
  const match = /^(\d+)([hdw])$/.exec(value.trim());
  const hours = match ? Number(match[1]) * (UNIT_HOURS[match[2] ?? ''] ?? 0) : 0;
  if (!(hours >= 1)) {
    throw new InvalidArgumentError(
      'expected a duration in whole hours, days or weeks: 24h, 1d, 2w',
    );
  }
  return hours;
}

export interface BacktestCommandOptions {
  train: number;
  minRequests?: number;
  minDays?: number;
  orgId?: string;
}

export async function runBacktest(
  inputs: string[],
  options: BacktestCommandOptions,
): Promise<BacktestResult> {
  const generate = generateOptionsOf(options);
  try {
    return await backtest(() => readAccessLogs(inputs), { ...generate, trainHours: options.train });
  } catch (error) {
    if (error instanceof BacktestWindowError) throw new UsageError(`backtest: ${error.message}`);
    throw error;
  }
}

const n = (x: number) => x.toLocaleString('en-US');

export function formatBacktest(result: BacktestResult, colour: Colours = colours(false)): string {
  const { train, test } = result;
  const evaluated =
    result.successful.allowed + result.successful.denied + result.successful.unknown;
  const lines = [
    `Trained on ${train.hours}h (${train.from} → ${train.to}): ${n(train.requests)} request(s), ${train.services} service(s), ${train.statements} statement(s).`,
    `Tested on the ${n(test.requests)} later request(s) (${test.from} → ${test.to}):`,
    `  allowed      ${n(result.allowed).padStart(9)}`,
    `  denied       ${n(result.denied).padStart(9)}   (${n(result.authDeniedInLogs.denied)} of them auth-denied in the logs too)`,
    `  unknown      ${n(result.unknown).padStart(9)}`,
    `  unevaluated  ${n(result.unevaluated).padStart(9)}   (services with no traffic to learn from)`,
    '',
    result.broken === 0
      ? colour.green(
          `None of the ${n(evaluated)} later successful request(s) would have been denied: the window was long enough for this traffic.`,
        )
      : colour.red(
          `${n(result.broken)} of ${n(evaluated)} later successful request(s) (${(result.brokenShare * 100).toFixed(2)}%) would have been denied: learn from a longer window, or review these before enforcing.`,
        ),
  ];
  if (result.breaks.length > 0) {
    lines.push(
      '',
      'Broken, by caller, service, method and path:',
      ...formatGroups(result.breaks, colour),
    );
  }
  if (result.unknownRequests.length > 0) {
    lines.push(
      '',
      'Unknown (the logs cannot tell):',
      ...formatGroups(result.unknownRequests, colour),
    );
  }
  if (result.newServices.length > 0) {
    lines.push('', 'Services first seen after the training part:');
    for (const s of result.newServices)
      lines.push(`  ${n(s.requests).padStart(7)}  ${s.serviceArn}`);
  }
  return `${lines.join('\n')}\n`;
}

export function backtestCommand(): Command {
  return new Command('backtest')
    .description(
      'Learn policies from the first part of the logs and test them on the rest: is the window long enough?',
    )
    .argument('<inputs...>', 'access-log files or directories (JSON lines, plain or gzip)')
    .requiredOption(
      '--train <duration>',
      'how much of the window to learn from, from its first hour: 24h, 1d, 2w',
      trainingHours,
    )
    .option('--json', 'print a machine-readable result on stdout', false)
    .option('--min-requests <n>', 'as analyze', positiveInteger)
    .option('--min-days <n>', 'as analyze', positiveInteger)
    .option('--org-id <o-id>', 'as analyze', organizationId)
    .addHelpText(
      'after',
      `
The logs are read twice: once to learn, once to test. The result counts the later requests that
succeeded in the logs but that policies learned from the training part would deny (broken).

Examples:
  $ lattice-lens backtest sample-logs/access-logs --train 24h
  $ lattice-lens backtest logs/ --train 7d --json | jq '.broken, .brokenShare'`,
    )
    .action(async (inputs: string[], options: BacktestCommandOptions & { json: boolean }) => {
      const term = terminalFor(options);
      const result = await runBacktest(inputs, options);
      if (options.json) printJson(result);
      else process.stdout.write(formatBacktest(result, term.colour));
    });
}
