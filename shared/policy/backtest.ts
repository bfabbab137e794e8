// Backtest: generate policies from the first part of a log window, simulate them on the rest,
// and count the later legitimate requests they would have broken. It measures whether a window
// is long enough to learn from.
import type { AccessLogRecord, ParsedLine } from '../log/index.ts';
import { type CallPattern, callPatternOf, HOUR_MS, hourOf, PatternSet } from '../patterns/index.ts';
import { seenRange } from '../patterns/seen-range.ts';
import { checkAuthPolicy } from './evaluate/index.ts';
import { type GenerateOptions, generatePolicies } from './generate-policy.ts';
import { PolicySet } from './policy-set.ts';
import { type Outcomes, type RequestGroup, simulateLogs } from './simulate.ts';

/** A window that cannot be split into a training part and a later part to test on. */
export class BacktestWindowError extends Error {
  override name = 'BacktestWindowError';
}

export interface BacktestOptions extends GenerateOptions {
  /** Hours of logs to learn from, counted from the start of the first hour with a request. */
  trainHours: number;
}

export interface BacktestResult {
  window: { from: string; to: string };
  train: {
    from: string;
    to: string;
    hours: number;
    requests: number;
    services: number;
    statements: number;
  };
  test: { from: string; to: string; requests: number };
  /** Decisions of the trained policies on the later requests. */
  allowed: number;
  denied: number;
  unknown: number;
  /** Later requests to services that had no traffic (so no policy) in the training part. */
  unevaluated: number;
  successful: Outcomes;
  authDeniedInLogs: Outcomes;
  /** Later requests that succeeded in the logs and the trained policies would deny. */
  broken: number;
  /** broken over the later successful requests evaluated, to four decimals. */
  brokenShare: number;
  /** The broken requests, by caller, service, method and path template. */
  breaks: RequestGroup[];
  /** Later successful requests whose outcome the logs cannot tell. */
  unknownRequests: RequestGroup[];
  newServices: { serviceArn: string; requests: number }[];
  rejectedLines: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Reads the logs twice (`readLines` is called once per pass): first to learn hourly call patterns
 * and the window, then to simulate the requests at or after the cut.
 */
export async function backtest(
  readLines: () => AsyncIterable<ParsedLine>,
  options: BacktestOptions,
): Promise<BacktestResult> {
  const { trainHours, ...generate } = options;
  if (!Number.isInteger(trainHours) || trainHours < 1) {
    throw new RangeError(`trainHours must be a positive whole number of hours, got ${trainHours}`);
  }
  const set = new PatternSet();
  for await (const line of readLines()) {
    if (line.ok) set.add(callPatternOf(line.record));
  }
  const patterns = set.toArray();
  if (patterns.length === 0)
    throw new BacktestWindowError('no valid access-log records to learn from');
  const { first, last } = seenRange(patterns);
  const start = Math.floor(first / HOUR_MS) * HOUR_MS;
  const cut = start + trainHours * HOUR_MS;
  if (cut > last) {
    throw new BacktestWindowError(
      `a training part of ${trainHours}h covers the whole window (${iso(first)} to ${iso(last)}): no later requests to test on`,
    );
  }
  const cutHour = hourOf(cut);
  const trained: CallPattern[] = patterns.filter((p) => p.hour < cutHour);
  const policies = generatePolicies(trained, generate);
  const policySet = new PolicySet(
    policies.map((p) => ({
      resourceId: p.serviceId,
      document: checkAuthPolicy(p.policy, `trained ${p.serviceId}`),
    })),
  );
  const isLater = (record: AccessLogRecord) => Date.parse(record.startTime) >= cut;
  const simulation = await simulateLogs(readLines(), policySet, isLater);

  const evaluatedSuccessful =
    simulation.successful.allowed + simulation.successful.denied + simulation.successful.unknown;
  const trainRequests = trained
    .filter((p) => p.recordKind === 'service')
    .reduce((sum, p) => sum + p.requests, 0);
  return {
    window: { from: iso(first), to: iso(last) },
    train: {
      from: iso(start),
      to: iso(cut),
      hours: trainHours,
      requests: trainRequests,
      services: policies.length,
      statements: policies.reduce((sum, p) => sum + p.policy.Statement.length, 0),
    },
    test: {
      from: iso(cut),
      to: iso(last),
      requests: simulation.records - simulation.resourceConnections,
    },
    allowed: simulation.allowed,
    denied: simulation.denied,
    unknown: simulation.unknown,
    unevaluated: simulation.unevaluated - simulation.resourceConnections,
    successful: simulation.successful,
    authDeniedInLogs: simulation.authDeniedInLogs,
    broken: simulation.successful.denied,
    brokenShare:
      evaluatedSuccessful === 0
        ? 0
        : Math.round((simulation.successful.denied / evaluatedSuccessful) * 10_000) / 10_000,
    breaks: simulation.deniedRequests.filter((g) => g.successful > 0),
    unknownRequests: simulation.unknownRequests.filter((g) => g.successful > 0),
    newServices: simulation.unevaluatedServices,
    rejectedLines: simulation.rejectedLines,
  };
}
