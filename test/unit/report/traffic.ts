// Small, readable traffic for the report tests: requests as log records, folded into hourly patterns.
import type { ServiceAccessLogRecord } from '../../../shared/log/index.ts';
import {
  type CallPattern,
  callPatternOf,
  mergePatternLists,
} from '../../../shared/patterns/index.ts';

export const ACCOUNT = '111122223333';
export const ORDERS = `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:service/svc-0aaaaaaaaaaaaaaa1`;
export const PAYMENTS = `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:service/svc-0bbbbbbbbbbbbbbb2`;
export const ORDER_ROLE = `arn:aws:iam::${ACCOUNT}:role/order-service-role`;
export const BATCH_ROLE = `arn:aws:iam::${ACCOUNT}:role/legacy-batch-role`;
export const PARTNER_ROLE = 'arn:aws:iam::444455556666:role/partner-sync';
export const HOSTILE_PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/<img src=x onerror=window.__pwned=1>`;
export const HOSTILE_PATH = '/api/<script>window.__pwned=2</script>';

export interface Request {
  at: string;
  caller?: string;
  service?: string;
  method?: string;
  path?: string;
  status?: number;
  /** An auth denial: 403 with an authDeniedReason. */
  denied?: boolean;
  sourceVpcId?: string;
}

export function record(request: Request): ServiceAccessLogRecord {
  const denied = request.denied === true;
  return {
    kind: 'service',
    startTime: request.at,
    requestMethod: request.method ?? 'GET',
    requestPath: request.path ?? '/api/v1/orders/1',
    responseCode: denied ? 403 : (request.status ?? 200),
    serviceArn: request.service ?? ORDERS,
    sourceVpcId: request.sourceVpcId ?? 'vpc-0aaa1111bbbb2222c',
    ...(request.caller === undefined ? {} : { callerPrincipal: request.caller }),
    ...(denied ? { authDeniedReason: 'Service' } : {}),
    extra: {},
  };
}

/** Hourly call patterns of these requests, sorted as the pipeline sorts them. */
export function hourlyPatterns(requests: readonly Request[]): CallPattern[] {
  return mergePatternLists([requests.map((r) => callPatternOf(record(r)))]);
}

/** `n` requests like `request`, one a minute from `start` (at most 60 in an hour). */
export function times(n: number, start: string, request: Omit<Request, 'at'>): Request[] {
  const t0 = Date.parse(start);
  return Array.from({ length: n }, (_, i) => ({
    ...request,
    at: new Date(t0 + i * 60_000).toISOString(),
  }));
}
