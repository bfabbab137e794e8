// Request and auth-denial counts of one batch of access-log entries: in total and per service.
// The transform fills them record by record and emits them once per invocation (emf.ts).

export interface ServiceRequestCounts {
  /** Valid access-log entries of the service (HTTP requests, or TCP connections of a resource). */
  requests: number;
  /** Of those, requests VPC Lattice auth denied (403 with an `authDeniedReason`). */
  authDenied: number;
}

export interface AuthFailureCounts extends ServiceRequestCounts {
  /** Records that could not be read as access-log entries (Firehose `ProcessingFailed`). */
  transformFailures: number;
  /** Per service or resource-configuration id, in the order first seen. */
  services: Map<string, ServiceRequestCounts>;
}

export function emptyAuthFailureCounts(): AuthFailureCounts {
  return { requests: 0, authDenied: 0, transformFailures: 0, services: new Map() };
}

/** Counts one valid entry of `serviceId`. */
export function countRequest(
  counts: AuthFailureCounts,
  serviceId: string,
  isAuthDenied: boolean,
): void {
  let service = counts.services.get(serviceId);
  if (service === undefined) {
    service = { requests: 0, authDenied: 0 };
    counts.services.set(serviceId, service);
  }
  const denied = isAuthDenied ? 1 : 0;
  counts.requests++;
  counts.authDenied += denied;
  service.requests++;
  service.authDenied += denied;
}

/** Counts records that came back `ProcessingFailed`. */
export function countTransformFailures(counts: AuthFailureCounts, failures: number): void {
  counts.transformFailures += failures;
}
