// Which auth policy governs which request: a service policy by the service id, a service-network
// policy by the network id (aws-contracts.md §4: with both set, both must allow).
import type { ServiceAccessLogRecord } from '../log/index.ts';
import { type PolicyDocument, PolicyFormatError } from './evaluate/index.ts';

/** A policy and the service (`svc-…`) or service network (`sn-…`) it is attached to. */
export interface GoverningPolicy {
  resourceId: string;
  document: PolicyDocument;
}

export const RESOURCE_ID = /^(svc|sn)-[0-9a-z]+$/;
const SERVICE_IN_ARN = /:service\/(svc-[0-9a-z]+)(?:\/|$)/;

/** The last part of a service or service-network ARN: its id. */
export function resourceIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * The service a policy governs when its file name does not say: the one service its resources
 * name. Throws PolicyFormatError when they name none (`*`) or several.
 */
export function serviceNamedBy(document: PolicyDocument): string {
  const ids = new Set<string>();
  for (const statement of document.statements) {
    for (const pattern of statement.resources.patterns) {
      const id = SERVICE_IN_ARN.exec(pattern)?.[1];
      if (id !== undefined) ids.add(id);
    }
  }
  if (ids.size === 1) return [...ids][0] as string;
  throw new PolicyFormatError(
    document.source,
    ids.size === 0
      ? 'cannot tell which service it governs: its resources name no service; name the file <svc-id>.json or pass --service'
      : `cannot tell which service it governs: its resources name ${[...ids].sort().join(', ')}; pass --service`,
  );
}

export class PolicySet {
  readonly #byResource = new Map<string, GoverningPolicy>();

  constructor(policies: Iterable<GoverningPolicy>) {
    for (const policy of policies) {
      if (!RESOURCE_ID.test(policy.resourceId)) {
        throw new PolicyFormatError(
          policy.document.source,
          `${JSON.stringify(policy.resourceId)} is not a service or service-network id (svc-… or sn-…)`,
        );
      }
      const earlier = this.#byResource.get(policy.resourceId);
      if (earlier !== undefined) {
        throw new PolicyFormatError(
          policy.document.source,
          `governs ${policy.resourceId}, as ${earlier.document.source} does already`,
        );
      }
      this.#byResource.set(policy.resourceId, policy);
    }
  }

  get policies(): GoverningPolicy[] {
    return [...this.#byResource.values()].sort((a, b) =>
      a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0,
    );
  }

  /** The network policy (if any) then the service policy (if any) that govern a request. */
  policiesFor(record: ServiceAccessLogRecord): GoverningPolicy[] {
    const found: GoverningPolicy[] = [];
    if (record.serviceNetworkArn !== undefined) {
      const network = this.#byResource.get(resourceIdOf(record.serviceNetworkArn));
      if (network !== undefined) found.push(network);
    }
    const service = this.#byResource.get(resourceIdOf(record.serviceArn));
    if (service !== undefined) found.push(service);
    return found;
  }
}
