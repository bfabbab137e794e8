// The call pattern: who called which service, how, on which path template, how often and with what outcome.
import type { CallerKind } from '../identity/types.ts';

/** The grouping key of a call pattern. Two requests with equal keys fold into one pattern. */
export interface CallPatternKey {
  /** UTC hour the requests started in, `YYYY-MM-DDTHH`: the summary partition (dt, hour). */
  hour: string;
  /** `service` for HTTP service traffic, `resource` for TCP resource-configuration traffic. */
  recordKind: 'service' | 'resource';
  serviceNetworkArn: string;
  /** The service ARN, or for resource traffic the resource configuration ARN. */
  serviceArn: string;
  /** Normalized principal (see shared/identity): a role ARN, user ARN, root ARN, or `anonymous`. */
  callerPrincipal: string;
  callerKind: CallerKind;
  /** The caller's account (principal account, or source VPC owner for anonymous callers); '' if unknown. */
  callerAccount: string;
  /** Subject CN of a Roles Anywhere certificate, '' otherwise. */
  callerX509SubjectCN: string;
  /** HTTP method; for resource traffic the protocol (e.g. `TCP`). */
  requestMethod: string;
  /** Templated path (`/orders/{id}`); for resource traffic the destination port (`:5432`). */
  pathTemplate: string;
  sourceVpcId: string;
}

export interface CallPatternCounters {
  requests: number;
  status1xx: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  /** 403 answers that carry an `authDeniedReason`: the auth policy said no. */
  authDenied: number;
  /** 4xx answers other than auth denials. */
  other4xx: number;
  bytesReceived: number;
  bytesSent: number;
  durationSumMs: number;
  durationMaxMs: number;
  /** Epoch milliseconds of the earliest and latest request start. */
  firstSeen: number;
  lastSeen: number;
  /** A few raw request paths (query stripped), the lexicographically smallest distinct ones. */
  examplePaths: string[];
  /** A few STS session names seen for an assumed-role caller, smallest distinct ones. */
  sessionNames: string[];
}

export interface CallPattern extends CallPatternKey, CallPatternCounters {}
