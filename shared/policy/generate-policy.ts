// Least-privilege auth policies, one per service, from call patterns (DESIGN "Policy generation").
import { accountOfArn } from '../identity/index.ts';
import type { CallPattern } from '../patterns/index.ts';
import { seenRange } from '../patterns/seen-range.ts';
import {
  buildStatements,
  type Coarseness,
  deepestPath,
  EXACT,
  isNamedByAccount,
  type StatementDraft,
} from './build-statements.ts';
import { type GrantUnit, GrantUnitBuilder, type GrantUnits, grantUnitsOf } from './grant-units.ts';
import { isOrganizationId } from './organization-id.ts';
import { type RenderOptions, renderStatement } from './render-statement.ts';
import { reviewList, type Thresholds } from './review-list.ts';
import { AUTH_POLICY_SIZE_LIMIT, policyText } from './size-limit.ts';
import type {
  AuthPolicy,
  CallerEvidence,
  CoarseningStep,
  ServicePolicy,
  StatementEvidence,
} from './types.ts';

export interface GenerateOptions {
  /** Statements backed by fewer successful requests are kept but flagged (default 5). */
  minRequests?: number;
  /** Statements seen on fewer distinct UTC days are kept but flagged (default 1). */
  minDays?: number;
  /** The size the policy text must fit in (default: the Lattice limit). */
  sizeLimit?: number;
  /** How many example paths the evidence shows per statement (default 3). */
  examples?: number;
  /**
   * An AWS Organizations id (`o-…`): every statement naming signed principals also requires
   * `aws:PrincipalOrgID` to be it, so a principal that leaves the organization loses access.
   */
  orgId?: string;
}

const DEFAULTS = { minRequests: 5, minDays: 1, sizeLimit: AUTH_POLICY_SIZE_LIMIT, examples: 3 };

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function serviceIdOf(serviceArn: string): string {
  const at = serviceArn.lastIndexOf('/');
  return at === -1 ? serviceArn : serviceArn.slice(at + 1);
}

function renderPolicy(
  drafts: readonly StatementDraft[],
  serviceArn: string,
  options: RenderOptions,
): AuthPolicy {
  return {
    Version: '2012-10-17',
    Statement: drafts.map((draft, i) =>
      renderStatement(draft, `Allow${i + 1}`, serviceArn, options),
    ),
  };
}

function statementEvidence(
  draft: StatementDraft,
  sid: string,
  serviceArn: string,
  thresholds: Thresholds,
  examples: number,
): StatementEvidence {
  const requests = draft.units.reduce((sum, unit) => sum + unit.granted, 0);
  const days = new Set(draft.units.flatMap((unit) => [...unit.days]));
  const seen = seenRange(draft.units);
  const callers = new Map<string, CallerEvidence>();
  for (const unit of draft.units) {
    const caller = callers.get(unit.grantee.id) ?? {
      caller: unit.grantee.id,
      requests: 0,
      sessionNames: [],
    };
    caller.requests += unit.granted;
    caller.sessionNames = [...new Set([...caller.sessionNames, ...unit.sessionNames])]
      .sort()
      .slice(0, examples);
    callers.set(unit.grantee.id, caller);
  }
  return {
    sid,
    principals: draft.isAnonymous ? ['*'] : draft.grantees,
    sourceVpcs: draft.isAnonymous ? draft.grantees : [],
    methods: draft.methods,
    resources: draft.paths.map((path) => `${serviceArn}${path}`),
    requests,
    firstSeen: iso(seen.first),
    lastSeen: iso(seen.last),
    daysSeen: days.size,
    examplePaths: [...new Set(draft.units.flatMap((u) => u.examplePaths))]
      .sort()
      .slice(0, examples),
    callers: [...callers.values()].sort((a, b) => (a.caller < b.caller ? -1 : 1)),
    isRare: requests < thresholds.minRequests || days.size < thresholds.minDays,
  };
}

type StepName = Omit<CoarseningStep, 'sizeBefore' | 'sizeAfter'>;

/**
 * The coarsening ladder, finest first: exact access; then paths cut to ever fewer segments;
 * then any method; then the whole service. Each rung lists every step taken to reach it (a
 * path cut only when some path is deeper than one segment). The first rung that fits is used.
 * When not even the whole service fits, the principals list is what is too long: the same
 * ladder is climbed again with roles and users named by their account, when some are.
 */
function* coarsenings(
  units: readonly GrantUnit[],
): Generator<{ coarseness: Coarseness; steps: StepName[] }> {
  yield* ladder(units, EXACT, []);
  if (units.some((unit) => unit.granted > 0 && isNamedByAccount(unit.grantee))) {
    yield* ladder(units, { ...EXACT, principalsByAccount: true }, [
      { step: 'principals-to-accounts' },
    ]);
  }
}

function* ladder(
  units: readonly GrantUnit[],
  finest: Coarseness,
  before: StepName[],
): Generator<{ coarseness: Coarseness; steps: StepName[] }> {
  yield { coarseness: finest, steps: before };
  const deepest = deepestPath(units);
  for (let depth = deepest - 1; depth >= 1; depth--) {
    yield {
      coarseness: { ...finest, pathDepth: depth },
      steps: [...before, { step: 'paths-to-prefix', depth }],
    };
  }
  const cut: StepName[] = deepest > 1 ? [{ step: 'paths-to-prefix', depth: 1 }] : [];
  yield {
    coarseness: { ...finest, pathDepth: 1, anyMethod: true },
    steps: [...before, ...cut, { step: 'any-method' }],
  };
  yield {
    coarseness: { ...finest, anyMethod: true, wholeService: true },
    steps: [...before, ...cut, { step: 'any-method' }, { step: 'whole-service' }],
  };
}

/** A step by its place in the ladder: the steps up to it and it. */
function stepKey(steps: readonly StepName[], index: number): string {
  return steps
    .slice(0, index + 1)
    .map((step) => `${step.step}${step.depth ?? ''}`)
    .join(' ');
}

type Settings = typeof DEFAULTS & GenerateOptions;

function settingsOf(options: GenerateOptions): Settings {
  return { ...DEFAULTS, ...options };
}

/** The policy of one service from that service's patterns (hourly or merged, any order). */
export function generateServicePolicy(
  serviceArn: string,
  patterns: readonly CallPattern[],
  options: GenerateOptions = {},
): ServicePolicy {
  const settings = settingsOf(options);
  checkOrgId(settings);
  return servicePolicyOf(serviceArn, grantUnitsOf(patterns, settings.examples), settings);
}

function checkOrgId(settings: Settings): void {
  if (settings.orgId !== undefined && !isOrganizationId(settings.orgId)) {
    throw new RangeError(
      `orgId must be an AWS Organizations id such as o-a1b2c3d4e5, got ${JSON.stringify(settings.orgId)}`,
    );
  }
}

/** The policy of one service from the grant units of all its patterns. */
function servicePolicyOf(
  serviceArn: string,
  { units, windowPatterns }: GrantUnits,
  settings: Settings,
): ServicePolicy {
  const render: RenderOptions = settings.orgId === undefined ? {} : { orgId: settings.orgId };
  const thresholds = { minRequests: settings.minRequests, minDays: settings.minDays };
  const serviceId = serviceIdOf(serviceArn);

  // The size each step brought the policy to, so every recorded step shows its own effect.
  const sizeAfterStep = new Map<string, number>();
  type Rung = { drafts: StatementDraft[]; text: string; steps: CoarseningStep[] };
  let chosen: Rung | undefined;
  // When no rung fits, the coarsest that still names principals: naming accounts instead would
  // widen who is granted without making the policy usable.
  let byPrincipal: Rung | undefined;
  let exactSize = 0;
  for (const { coarseness, steps } of coarsenings(units)) {
    const drafts = buildStatements(units, coarseness);
    const text = policyText(renderPolicy(drafts, serviceArn, render));
    if (steps.length === 0) exactSize = text.length;
    else sizeAfterStep.set(stepKey(steps, steps.length - 1), text.length);
    let before = exactSize;
    const applied = steps.map((step, index) => {
      const after = sizeAfterStep.get(stepKey(steps, index)) ?? text.length;
      const recorded = { ...step, sizeBefore: before, sizeAfter: after };
      before = after;
      return recorded;
    });
    const rung = { drafts, text, steps: applied };
    if (text.length <= settings.sizeLimit) {
      chosen = rung;
      break;
    }
    if (!coarseness.principalsByAccount) byPrincipal = rung;
  }
  chosen ??= byPrincipal;
  if (chosen === undefined) throw new Error('unreachable: the coarsening ladder is never empty');

  const policy = renderPolicy(chosen.drafts, serviceArn, render);
  // Every pattern is in a unit (those with nothing granted too): the window and the request
  // total of the units are the patterns'.
  const { first, last } = seenRange(units);
  const serviceAccount = accountOfArn(serviceArn) ?? '';
  return {
    serviceArn,
    serviceId,
    policy,
    policyText: chosen.text,
    evidence: {
      serviceArn,
      serviceId,
      serviceNetworkArns: [...new Set(units.flatMap((u) => [...u.serviceNetworkArns]))].sort(),
      window: { from: iso(first), to: iso(last) },
      totals: {
        requests: units.reduce((sum, u) => sum + u.granted + u.authDenied, 0),
        grantedRequests: units.reduce((sum, u) => sum + u.granted, 0),
        authDenied: units.reduce((sum, u) => sum + u.authDenied, 0),
        callers: new Set(units.map((u) => u.grantee.id)).size,
      },
      thresholds,
      ...render,
      policySize: chosen.text.length,
      sizeLimit: settings.sizeLimit,
      exceedsSizeLimit: chosen.text.length > settings.sizeLimit,
      coarsening: chosen.steps,
      statements: chosen.drafts.map((draft, i) =>
        statementEvidence(draft, `Allow${i + 1}`, serviceArn, thresholds, settings.examples),
      ),
      review: reviewList(units, serviceAccount, thresholds, chosen.drafts),
    },
    windowPatterns,
  };
}

/** One policy per service seen in the patterns, sorted by service ARN. Resource traffic is skipped. */
export function generatePolicies(
  patterns: readonly CallPattern[],
  options: GenerateOptions = {},
): ServicePolicy[] {
  const settings = settingsOf(options);
  const byService = new Map<string, GrantUnitBuilder>();
  // Patterns come sorted by key, a service's patterns of one hour together: the last builder
  // used is most often the one needed.
  let serviceArn: string | undefined;
  let builder: GrantUnitBuilder | undefined;
  for (const pattern of patterns) {
    if (pattern.recordKind !== 'service') continue;
    if (builder === undefined || pattern.serviceArn !== serviceArn) {
      serviceArn = pattern.serviceArn;
      builder = byService.get(serviceArn);
      if (builder === undefined) {
        builder = new GrantUnitBuilder(settings.examples);
        byService.set(serviceArn, builder);
      }
    }
    builder.add(pattern);
  }
  // As generateServicePolicy checks it: no service, no policy, nothing to check.
  if (byService.size > 0) checkOrgId(settings);
  return [...byService]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([arn, units]) => servicePolicyOf(arn, units.build(), settings));
}
