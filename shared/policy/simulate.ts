// Simulation: every logged request through the auth policies that govern it. Counts, the denied
// and unknown requests grouped by caller, service, method and path template with what decided,
// and how often each statement applied. Memory grows with distinct groups, never with requests.
import { callerId, identifyCaller } from '../identity/index.ts';
import type { AccessLogRecord, ParsedLine, ServiceAccessLogRecord } from '../log/index.ts';
import { learnPathTemplates, requestPathOf, templatePath } from '../paths/index.ts';
import {
  combineDecisions,
  type Decision,
  evaluatePolicy,
  type PolicyDecision,
  requestContextOf,
} from './evaluate/index.ts';
import { type GoverningPolicy, type PolicySet, resourceIdOf } from './policy-set.ts';

const EXAMPLES = 3;
const METHOD_KEY = 'vpc-lattice-svcs:requestmethod';

/** Requests that share caller, service, method, path template and outcome. */
export interface RequestGroup {
  /** A principal as a policy names it (role ARN for a session), or `anonymous@<vpc-id>`. */
  caller: string;
  callerKind: string;
  serviceId: string;
  method: string;
  pathTemplate: string;
  requests: number;
  /** Of them, requests the service answered in the logs (any status but an auth denial). */
  successful: number;
  /** Of them, requests auth denied in the logs (403 with an authDeniedReason). */
  authDenied: number;
  /** `<policy>: <Sid>` for each statement that decided, or `<policy>: no statement allows`. */
  decidedBy: string[];
  /** For an unknown outcome: what the logs could not tell. */
  unknown: string[];
  firstSeen: string;
  lastSeen: string;
  examplePaths: string[];
}

export interface Outcomes {
  allowed: number;
  denied: number;
  unknown: number;
}

/** How often one statement applied, and to which of its principals, resources and methods. */
export interface StatementUsage {
  policy: string;
  governs: string;
  sid: string;
  effect: 'Allow' | 'Deny';
  /** Requests the statement applied to. */
  requests: number;
  principals: { value: string; requests: number }[];
  resources: { value: string; requests: number }[];
  /** Values of a `StringEquals` `vpc-lattice-svcs:RequestMethod` condition, if it has one. */
  methods: { value: string; requests: number }[];
}

export interface SimulationResult {
  /** First and last request start evaluated or not; null without any request. */
  window: { from: string; to: string } | null;
  /** Valid log records read (service requests and resource connections). */
  records: number;
  rejectedLines: number;
  allowed: number;
  denied: number;
  unknown: number;
  /** Requests no given policy governs, and resource (TCP) connections. */
  unevaluated: number;
  /** Outcomes of the evaluated requests that succeeded in the logs. */
  successful: Outcomes;
  /** Outcomes of the evaluated requests that auth denied in the logs. */
  authDeniedInLogs: Outcomes;
  policies: { source: string; governs: string; statements: number; requests: number }[];
  deniedRequests: RequestGroup[];
  unknownRequests: RequestGroup[];
  /** Requests auth denied in the logs that the policies would allow. */
  allowedAuthDenied: RequestGroup[];
  unevaluatedServices: { serviceArn: string; requests: number }[];
  resourceConnections: number;
  statements: StatementUsage[];
}

interface GroupAccumulator extends Omit<RequestGroup, 'firstSeen' | 'lastSeen'> {
  decision: Decision;
  firstMs: number;
  lastMs: number;
}

interface UsageAccumulator {
  usage: StatementUsage;
  principals: number[];
  resources: number[];
  methods: Map<string, number>;
  methodValues: string[];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function smallest(values: Iterable<string>, limit: number): string[] {
  return [...new Set(values)].sort(compare).slice(0, limit);
}

function emptyOutcomes(): Outcomes {
  return { allowed: 0, denied: 0, unknown: 0 };
}

function count(outcomes: Outcomes, decision: Decision): void {
  if (decision === 'allow') outcomes.allowed++;
  else if (decision === 'deny') outcomes.denied++;
  else outcomes.unknown++;
}

function decidedBy(policy: GoverningPolicy, decision: PolicyDecision): string[] {
  const source = policy.document.source;
  if (decision.reason === 'no-allow') return [`${source}: no statement allows`];
  return decision.statements.map((label) => `${source}: ${label}`);
}

/** Folds requests into a simulation result; see simulateLogs. */
export class Simulation {
  readonly #policies: PolicySet;
  readonly #groups = new Map<string, GroupAccumulator>();
  readonly #unevaluated = new Map<string, number>();
  readonly #usage = new Map<string, UsageAccumulator>();
  readonly #requestsByPolicy = new Map<string, number>();
  #records = 0;
  #rejectedLines = 0;
  #resourceConnections = 0;
  #first = Number.POSITIVE_INFINITY;
  #last = Number.NEGATIVE_INFINITY;
  readonly #totals = emptyOutcomes();
  readonly #successful = emptyOutcomes();
  readonly #authDenied = emptyOutcomes();

  constructor(policies: PolicySet) {
    this.#policies = policies;
    for (const policy of policies.policies) {
      this.#requestsByPolicy.set(policy.document.source, 0);
      for (const statement of policy.document.statements) {
        const method = statement.conditions.find(
          (c) =>
            c.operator.base.name === 'StringEquals' &&
            c.operator.set === undefined &&
            c.key.toLowerCase() === METHOD_KEY,
        );
        this.#usage.set(`${policy.document.source}\u0000${statement.label}`, {
          usage: {
            policy: policy.document.source,
            governs: policy.resourceId,
            sid: statement.label,
            effect: statement.effect,
            requests: 0,
            principals: [],
            resources: [],
            methods: [],
          },
          principals: statement.principals.entries.map(() => 0),
          resources: statement.resources.patterns.map(() => 0),
          methods: new Map(),
          methodValues: method?.values ?? [],
        });
      }
    }
  }

  addRejected(): void {
    this.#rejectedLines++;
  }

  add(record: AccessLogRecord): void {
    this.#records++;
    const startMs = Date.parse(record.startTime);
    this.#first = Math.min(this.#first, startMs);
    this.#last = Math.max(this.#last, startMs);
    if (record.kind === 'resource') {
      this.#resourceConnections++;
      return;
    }
    const policies = this.#policies.policiesFor(record);
    if (policies.length === 0) {
      this.#unevaluated.set(record.serviceArn, (this.#unevaluated.get(record.serviceArn) ?? 0) + 1);
      return;
    }
    const context = requestContextOf(record);
    const decisions = policies.map((policy) => evaluatePolicy(policy.document, context));
    const combined = combineDecisions(decisions);
    const isAuthDenied = record.responseCode === 403 && record.authDeniedReason !== undefined;
    count(this.#totals, combined.decision);
    count(isAuthDenied ? this.#authDenied : this.#successful, combined.decision);
    policies.forEach((policy, i) => {
      const source = policy.document.source;
      this.#requestsByPolicy.set(source, (this.#requestsByPolicy.get(source) ?? 0) + 1);
      this.#recordUsage(policy, decisions[i] as PolicyDecision, record);
    });
    // Allowed requests are only counted, unless auth denied them in the logs: those change outcome.
    if (combined.decision === 'allow' && !isAuthDenied) return;
    const deciding =
      combined.decision === 'allow'
        ? policies.flatMap((p, i) => decidedBy(p, decisions[i] as PolicyDecision))
        : policies.flatMap((p, i) => {
            const d = decisions[i] as PolicyDecision;
            return d.decision === combined.decision ? decidedBy(p, d) : [];
          });
    this.#group(record, combined.decision, deciding, combined.unknown, isAuthDenied, startMs);
  }

  #recordUsage(policy: GoverningPolicy, decision: PolicyDecision, record: ServiceAccessLogRecord) {
    for (const result of decision.results) {
      if (result.applies !== true) continue;
      const entry = this.#usage.get(`${policy.document.source}\u0000${result.statement.label}`);
      if (entry === undefined) continue;
      entry.usage.requests++;
      result.principalMatches.forEach((m, i) => {
        if (m === true) entry.principals[i] = (entry.principals[i] ?? 0) + 1;
      });
      result.resourceMatches.forEach((m, i) => {
        if (m === true) entry.resources[i] = (entry.resources[i] ?? 0) + 1;
      });
      if (entry.methodValues.includes(record.requestMethod)) {
        entry.methods.set(record.requestMethod, (entry.methods.get(record.requestMethod) ?? 0) + 1);
      }
    }
  }

  #group(
    record: ServiceAccessLogRecord,
    decision: Decision,
    deciding: string[],
    unknown: string[],
    isAuthDenied: boolean,
    startMs: number,
  ): void {
    const identity = identifyCaller(record);
    const caller = callerId(identity.kind, identity.principal, identity.sourceVpcId);
    const pathTemplate = templatePath(record.requestPath);
    const group: GroupAccumulator = {
      caller,
      callerKind: identity.kind,
      serviceId: resourceIdOf(record.serviceArn),
      method: record.requestMethod,
      pathTemplate,
      requests: 1,
      successful: isAuthDenied ? 0 : 1,
      authDenied: isAuthDenied ? 1 : 0,
      decidedBy: deciding,
      unknown,
      examplePaths: [requestPathOf(record.requestPath)],
      decision,
      firstMs: startMs,
      lastMs: startMs,
    };
    this.#merge(this.#groups, group);
  }

  #merge(groups: Map<string, GroupAccumulator>, group: GroupAccumulator): void {
    const key = [
      group.decision,
      group.caller,
      group.serviceId,
      group.method,
      group.pathTemplate,
      group.decidedBy.join('\u0001'),
      group.unknown.join('\u0001'),
    ].join('\u0000');
    const existing = groups.get(key);
    if (existing === undefined) {
      groups.set(key, { ...group });
      return;
    }
    existing.requests += group.requests;
    existing.successful += group.successful;
    existing.authDenied += group.authDenied;
    existing.firstMs = Math.min(existing.firstMs, group.firstMs);
    existing.lastMs = Math.max(existing.lastMs, group.lastMs);
    existing.examplePaths = smallest([...existing.examplePaths, ...group.examplePaths], EXAMPLES);
  }

  /** Groups with path templates generalized per service as the generator does (`/users/{var}`). */
  #finalGroups(): GroupAccumulator[] {
    const observed = new Map<string, Map<string, number>>();
    for (const group of this.#groups.values()) {
      const byTemplate = observed.get(group.serviceId) ?? new Map<string, number>();
      byTemplate.set(
        group.pathTemplate,
        (byTemplate.get(group.pathTemplate) ?? 0) + group.requests,
      );
      observed.set(group.serviceId, byTemplate);
    }
    const learned = new Map<string, Map<string, string>>();
    for (const [serviceId, byTemplate] of observed) {
      learned.set(
        serviceId,
        learnPathTemplates([...byTemplate].map(([template, requests]) => ({ template, requests }))),
      );
    }
    const merged = new Map<string, GroupAccumulator>();
    for (const group of this.#groups.values()) {
      const pathTemplate =
        learned.get(group.serviceId)?.get(group.pathTemplate) ?? group.pathTemplate;
      this.#merge(merged, { ...group, pathTemplate });
    }
    return [...merged.values()].sort(
      (a, b) =>
        b.requests - a.requests ||
        compare(a.caller, b.caller) ||
        compare(a.serviceId, b.serviceId) ||
        compare(a.method, b.method) ||
        compare(a.pathTemplate, b.pathTemplate) ||
        compare(a.decidedBy.join(' '), b.decidedBy.join(' ')),
    );
  }

  result(): SimulationResult {
    const groups = this.#finalGroups();
    const out = (group: GroupAccumulator): RequestGroup => ({
      caller: group.caller,
      callerKind: group.callerKind,
      serviceId: group.serviceId,
      method: group.method,
      pathTemplate: group.pathTemplate,
      requests: group.requests,
      successful: group.successful,
      authDenied: group.authDenied,
      decidedBy: group.decidedBy,
      unknown: group.unknown,
      firstSeen: new Date(group.firstMs).toISOString(),
      lastSeen: new Date(group.lastMs).toISOString(),
      examplePaths: group.examplePaths,
    });
    const unevaluatedRequests = [...this.#unevaluated.values()].reduce((a, b) => a + b, 0);
    return {
      window:
        this.#records === 0
          ? null
          : { from: new Date(this.#first).toISOString(), to: new Date(this.#last).toISOString() },
      records: this.#records,
      rejectedLines: this.#rejectedLines,
      allowed: this.#totals.allowed,
      denied: this.#totals.denied,
      unknown: this.#totals.unknown,
      unevaluated: unevaluatedRequests + this.#resourceConnections,
      successful: { ...this.#successful },
      authDeniedInLogs: { ...this.#authDenied },
      policies: this.#policies.policies.map((p) => ({
        source: p.document.source,
        governs: p.resourceId,
        statements: p.document.statements.length,
        requests: this.#requestsByPolicy.get(p.document.source) ?? 0,
      })),
      deniedRequests: groups.filter((g) => g.decision === 'deny').map(out),
      unknownRequests: groups.filter((g) => g.decision === 'unknown').map(out),
      allowedAuthDenied: groups.filter((g) => g.decision === 'allow').map(out),
      unevaluatedServices: [...this.#unevaluated]
        .sort(([a], [b]) => compare(a, b))
        .map(([serviceArn, requests]) => ({ serviceArn, requests })),
      resourceConnections: this.#resourceConnections,
      statements: [...this.#usage.values()].map((entry) => {
        const statement = this.#policies.policies
          .find((p) => p.document.source === entry.usage.policy)
          ?.document.statements.find((s) => s.label === entry.usage.sid);
        return {
          ...entry.usage,
          principals: (statement?.principals.entries ?? []).map((e, i) => ({
            value: e.written,
            requests: entry.principals[i] ?? 0,
          })),
          resources: (statement?.resources.patterns ?? []).map((value, i) => ({
            value,
            requests: entry.resources[i] ?? 0,
          })),
          methods: entry.methodValues.map((value) => ({
            value,
            requests: entry.methods.get(value) ?? 0,
          })),
        };
      }),
    };
  }
}

/**
 * Simulates the policies on every record of `lines` that `include` accepts (all by default).
 * Rejected lines are counted, never evaluated.
 */
export async function simulateLogs(
  lines: AsyncIterable<ParsedLine>,
  policies: PolicySet,
  include: (record: AccessLogRecord) => boolean = () => true,
): Promise<SimulationResult> {
  const simulation = new Simulation(policies);
  for await (const line of lines) {
    if (!line.ok) simulation.addRejected();
    else if (include(line.record)) simulation.add(line.record);
  }
  return simulation.result();
}
