// The auth-policy document (the grammar of aws-contracts.md §4) and the evidence lattice-lens writes beside it.
import type { CallPattern } from '../patterns/index.ts';

export type PolicyConditionBlock = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS: string | string[] };
  NotPrincipal?: '*' | { AWS: string | string[] };
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: PolicyConditionBlock;
}

export interface AuthPolicy {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** One caller behind a statement and what it did. */
export interface CallerEvidence {
  /** A principal ARN, or `anonymous@<vpc-id>` for unsigned callers from one VPC. */
  caller: string;
  requests: number;
  /** A few STS session names seen for an assumed-role caller. */
  sessionNames: string[];
}

/** Why one statement exists: the successful traffic that proves the need. */
export interface StatementEvidence {
  sid: string;
  principals: string[];
  sourceVpcs: string[];
  methods: string[];
  resources: string[];
  /** Successful (not auth-denied) requests covered by this statement. */
  requests: number;
  firstSeen: string;
  lastSeen: string;
  daysSeen: number;
  examplePaths: string[];
  callers: CallerEvidence[];
  /** True when the traffic behind it is below the rarity thresholds: kept, but check it. */
  isRare: boolean;
}

export type ReviewReason =
  | 'auth-denied-only' // only 403 auth denials: never granted
  | 'partly-auth-denied' // granted some access, denied by auth on other requests (not granted)
  | 'auth-denied-allowed' // auth denials on access the policy grants: enforcing it lets them through
  | 'cross-account' // granted, from another account than the service's
  | 'anonymous-grant' // unsigned traffic granted by source VPC
  | 'seen-once' // granted on the strength of a single request
  | 'rare'; // granted on traffic below the rarity thresholds

export interface ReviewItem {
  reason: ReviewReason;
  caller: string;
  callerKind: string;
  callerAccount: string;
  requests: number;
  authDenied: number;
  firstSeen: string;
  lastSeen: string;
  /** What was attempted or granted, e.g. `GET /api/v1/orders/*`. */
  access: string[];
  detail: string;
}

/** A coarsening applied to fit the auth-policy size limit, in the order applied. */
export interface CoarseningStep {
  /**
   * principals-to-accounts names roles and users by their account (every principal of the
   * account is granted); the steps after it are taken again from the exact access.
   */
  step: 'paths-to-prefix' | 'any-method' | 'whole-service' | 'principals-to-accounts';
  /** For paths-to-prefix: how many path segments were kept. */
  depth?: number;
  sizeBefore: number;
  sizeAfter: number;
}

export interface PolicyEvidence {
  serviceArn: string;
  serviceId: string;
  serviceNetworkArns: string[];
  window: { from: string; to: string };
  totals: { requests: number; grantedRequests: number; authDenied: number; callers: number };
  thresholds: { minRequests: number; minDays: number };
  /** The organization every signed principal must belong to (`--org-id`), when one was given. */
  orgId?: string;
  policySize: number;
  sizeLimit: number;
  exceedsSizeLimit: boolean;
  coarsening: CoarseningStep[];
  statements: StatementEvidence[];
  review: ReviewItem[];
}

export interface ServicePolicy {
  serviceArn: string;
  serviceId: string;
  policy: AuthPolicy;
  /** The policy file's exact text, the bytes the size limit is checked on. */
  policyText: string;
  evidence: PolicyEvidence;
  /**
   * The service's call patterns merged over the window, path templates generalized as the
   * statements generalize them (`/users/{var}`), sorted by key: the traffic in the policy's terms.
   */
  windowPatterns: CallPattern[];
}
