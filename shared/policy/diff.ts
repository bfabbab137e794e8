// Diff of a current auth policy against a suggested one, on the traffic of a log window:
// statements added and removed, grants of the current policy the window never exercised, and
// the requests whose outcome would change, each with the requests behind it.
import { callerId, identifyCaller } from '../identity/index.ts';
import type { ParsedLine, ServiceAccessLogRecord } from '../log/index.ts';
import { learnPathTemplates, templatePath } from '../paths/index.ts';
import { type CallPattern, callPatternOf, PatternSet } from '../patterns/index.ts';
import {
  checkAuthPolicy,
  type Decision,
  evaluatePolicy,
  requestContextOf,
} from './evaluate/index.ts';
import { type GenerateOptions, generateServicePolicy } from './generate-policy.ts';
import { type GoverningPolicy, PolicySet, resourceIdOf } from './policy-set.ts';
import { type Outcomes, Simulation, type StatementUsage } from './simulate.ts';
import type { PolicyStatement, StatementEvidence } from './types.ts';

/** A current or suggested policy that cannot be diffed (another service, no traffic to learn). */
export class PolicyDiffError extends Error {
  override name = 'PolicyDiffError';
}

export interface DiffedStatement {
  sid: string;
  statement: PolicyStatement;
  /** Requests of the window the statement applied to. */
  requests: number;
  /** For a statement generated from the logs: the evidence behind it. */
  evidence?: StatementEvidence;
}

/** A grant of the current policy that no request of the window used. */
export interface UnusedGrant {
  sid: string;
  /** The whole statement, or one principal, resource or RequestMethod value of it. */
  element: 'statement' | 'principal' | 'resource' | 'method';
  value: string;
  /** Requests the statement applied to through its other elements. */
  statementRequests: number;
}

/** Requests whose outcome differs between the two policies. */
export interface BehaviourChange {
  caller: string;
  method: string;
  pathTemplate: string;
  current: Decision;
  suggested: Decision;
  requests: number;
  successful: number;
  authDenied: number;
  examplePaths: string[];
}

export interface PolicyDiff {
  governs: string;
  window: { from: string; to: string } | null;
  /** Requests of the window to the service (or network) the policies govern. */
  requests: number;
  current: { source: string; statements: number } & Outcomes;
  suggested: { source: string; statements: number } & Outcomes;
  added: DiffedStatement[];
  removed: DiffedStatement[];
  unchanged: { current: string; suggested: string; requests: number }[];
  unused: UnusedGrant[];
  changes: BehaviourChange[];
}

export const GENERATED_SOURCE = 'suggested (generated from the logs)';

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A statement element with object keys sorted and every string or string list as a sorted list
 * (a single value means the same as a list of one), action names lower-cased: equal meaning,
 * equal text.
 */
function canonical(value: unknown, key = ''): unknown {
  const isStrings =
    typeof value === 'string' ||
    (Array.isArray(value) && value.every((item) => typeof item === 'string'));
  if (isStrings && key !== 'Effect' && key !== '') {
    const isAction = key === 'Action' || key === 'NotAction';
    const items = (Array.isArray(value) ? value : [value]) as string[];
    return [...new Set(items.map((item) => (isAction ? item.toLowerCase() : item)))].sort();
  }
  if (Array.isArray(value)) return value.map((item) => canonical(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => k !== 'Sid' && v !== undefined)
        .sort(([a], [b]) => compare(a, b))
        .map(([k, v]) => [k, canonical(v, k)]),
    );
  }
  return value;
}

function statementKey(statement: PolicyStatement): string {
  const c = canonical(statement) as Record<string, unknown>;
  // `"Principal": "*"` must not read as `{"AWS": "*"}`: keep it a bare string.
  if (statement.Principal === '*') c.Principal = '*';
  if (statement.NotPrincipal === '*') c.NotPrincipal = '*';
  return JSON.stringify(c);
}

function governs(policy: GoverningPolicy, record: ServiceAccessLogRecord): boolean {
  return policy.resourceId.startsWith('sn-')
    ? record.serviceNetworkArn !== undefined &&
        resourceIdOf(record.serviceNetworkArn) === policy.resourceId
    : resourceIdOf(record.serviceArn) === policy.resourceId;
}

async function suggestFromLogs(
  lines: AsyncIterable<ParsedLine>,
  current: GoverningPolicy,
  options: GenerateOptions,
): Promise<{ suggested: GoverningPolicy; evidence: StatementEvidence[] }> {
  if (current.resourceId.startsWith('sn-')) {
    throw new PolicyDiffError(
      `${current.document.source} governs the service network ${current.resourceId}; suggestions are per service, so pass --suggested`,
    );
  }
  const set = new PatternSet();
  let serviceArn: string | undefined;
  for await (const line of lines) {
    if (!line.ok || line.record.kind !== 'service' || !governs(current, line.record)) continue;
    serviceArn = line.record.serviceArn;
    set.add(callPatternOf(line.record));
  }
  if (serviceArn === undefined) {
    throw new PolicyDiffError(
      `no requests to ${current.resourceId} in the logs: nothing to suggest a policy from`,
    );
  }
  const patterns: CallPattern[] = set.toArray();
  const generated = generateServicePolicy(serviceArn, patterns, options);
  return {
    suggested: {
      resourceId: current.resourceId,
      document: checkAuthPolicy(generated.policy, GENERATED_SOURCE),
    },
    evidence: generated.evidence.statements,
  };
}

interface ChangeAccumulator extends BehaviourChange {
  serviceId: string;
}

/**
 * Diffs `current` against `suggested` (or, without one, the policy generated from the logs) on
 * the requests of the logs that the current policy governs. `readLines` is called once per pass.
 */
export async function diffPolicies(
  readLines: () => AsyncIterable<ParsedLine>,
  current: GoverningPolicy,
  suggestedPolicy: GoverningPolicy | undefined,
  options: GenerateOptions = {},
): Promise<PolicyDiff> {
  let suggested = suggestedPolicy;
  let evidence: StatementEvidence[] = [];
  if (suggested === undefined) {
    ({ suggested, evidence } = await suggestFromLogs(readLines(), current, options));
  } else if (suggested.resourceId !== current.resourceId) {
    throw new PolicyDiffError(
      `${current.document.source} governs ${current.resourceId} but ${suggested.document.source} governs ${suggested.resourceId}`,
    );
  }
  const currentSimulation = new Simulation(new PolicySet([current]));
  const suggestedSimulation = new Simulation(new PolicySet([suggested]));
  const changes = new Map<string, ChangeAccumulator>();
  for await (const line of readLines()) {
    if (!line.ok || line.record.kind !== 'service' || !governs(current, line.record)) continue;
    const record = line.record;
    currentSimulation.add(record);
    suggestedSimulation.add(record);
    const context = requestContextOf(record);
    const before = evaluatePolicy(current.document, context).decision;
    const after = evaluatePolicy(suggested.document, context).decision;
    if (before === after) continue;
    const identity = identifyCaller(record);
    const caller = callerId(identity.kind, identity.principal, identity.sourceVpcId);
    const pathTemplate = templatePath(record.requestPath);
    const key = [caller, record.requestMethod, pathTemplate, before, after].join('\u0000');
    const isAuthDenied = record.responseCode === 403 && record.authDeniedReason !== undefined;
    const change = changes.get(key) ?? {
      caller,
      method: record.requestMethod,
      pathTemplate,
      current: before,
      suggested: after,
      requests: 0,
      successful: 0,
      authDenied: 0,
      examplePaths: [],
      serviceId: resourceIdOf(record.serviceArn),
    };
    change.requests++;
    if (isAuthDenied) change.authDenied++;
    else change.successful++;
    const path = record.requestPath.split(/[?#]/)[0] ?? record.requestPath;
    change.examplePaths = [...new Set([...change.examplePaths, path])].sort(compare).slice(0, 3);
    changes.set(key, change);
  }
  const before = currentSimulation.result();
  const after = suggestedSimulation.result();

  const usage = (statements: StatementUsage[], sid: string) =>
    statements.find((s) => s.sid === sid)?.requests ?? 0;
  const describe = (policy: GoverningPolicy, statements: StatementUsage[]) =>
    policy.document.statements.map((s) => ({
      sid: s.label,
      key: statementKey(s.written),
      statement: s.written,
      requests: usage(statements, s.label),
    }));
  const currentStatements = describe(current, before.statements);
  const suggestedStatements = describe(suggested, after.statements);
  const suggestedKeys = new Set(suggestedStatements.map((s) => s.key));
  const currentKeys = new Set(currentStatements.map((s) => s.key));
  const withEvidence = (s: (typeof suggestedStatements)[number]): DiffedStatement => {
    const found = evidence.find((e) => e.sid === s.sid);
    const entry: DiffedStatement = { sid: s.sid, statement: s.statement, requests: s.requests };
    if (found !== undefined) entry.evidence = found;
    return entry;
  };

  const unused: UnusedGrant[] = [];
  for (const statement of before.statements) {
    if (statement.effect !== 'Allow') continue;
    const statementRequests = statement.requests;
    if (statementRequests === 0) {
      unused.push({
        sid: statement.sid,
        element: 'statement',
        value: statement.sid,
        statementRequests,
      });
      continue;
    }
    const elements: [UnusedGrant['element'], { value: string; requests: number }[]][] = [
      ['principal', statement.principals],
      ['resource', statement.resources],
      ['method', statement.methods],
    ];
    for (const [element, entries] of elements) {
      for (const entry of entries) {
        if (entry.requests === 0) {
          unused.push({ sid: statement.sid, element, value: entry.value, statementRequests });
        }
      }
    }
  }

  const learned = learnPathTemplates(
    [...changes.values()].map((c) => ({ template: c.pathTemplate, requests: c.requests })),
  );
  const merged = new Map<string, BehaviourChange>();
  for (const change of changes.values()) {
    const pathTemplate = learned.get(change.pathTemplate) ?? change.pathTemplate;
    const key = [change.caller, change.method, pathTemplate, change.current, change.suggested].join(
      '\u0000',
    );
    const { serviceId: _, ...rest } = change;
    const existing = merged.get(key);
    if (existing === undefined) {
      merged.set(key, { ...rest, pathTemplate });
      continue;
    }
    existing.requests += change.requests;
    existing.successful += change.successful;
    existing.authDenied += change.authDenied;
    existing.examplePaths = [...new Set([...existing.examplePaths, ...change.examplePaths])]
      .sort(compare)
      .slice(0, 3);
  }

  const outcomes = (r: typeof before): Outcomes => ({
    allowed: r.allowed,
    denied: r.denied,
    unknown: r.unknown,
  });
  return {
    governs: current.resourceId,
    window: before.window,
    requests: before.records,
    current: {
      source: current.document.source,
      statements: current.document.statements.length,
      ...outcomes(before),
    },
    suggested: {
      source: suggested.document.source,
      statements: suggested.document.statements.length,
      ...outcomes(after),
    },
    added: suggestedStatements.filter((s) => !currentKeys.has(s.key)).map(withEvidence),
    removed: currentStatements
      .filter((s) => !suggestedKeys.has(s.key))
      .map((s) => ({ sid: s.sid, statement: s.statement, requests: s.requests })),
    unchanged: currentStatements.flatMap((s) => {
      const match = suggestedStatements.find((t) => t.key === s.key);
      return match === undefined
        ? []
        : [{ current: s.sid, suggested: match.sid, requests: s.requests }];
    }),
    unused,
    changes: [...merged.values()].sort(
      (a, b) =>
        b.requests - a.requests ||
        compare(a.caller, b.caller) ||
        compare(a.method, b.method) ||
        compare(a.pathTemplate, b.pathTemplate),
    ),
  };
}
