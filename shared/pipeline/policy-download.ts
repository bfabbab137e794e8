// Reading suggested policies back out of the store, for the download function and the CLI: only
// services the latest manifest lists, in the format asked for.
import type { ObjectStore } from '../store/index.ts';
import type { ManifestService, SuggestionsManifest } from './suggestions-manifest.ts';

export const POLICY_FORMATS = ['json', 'terraform', 'cloudformation'] as const;
export type PolicyFormat = (typeof POLICY_FORMATS)[number];

export function isPolicyFormat(value: string): value is PolicyFormat {
  return (POLICY_FORMATS as readonly string[]).includes(value);
}

/** A format lattice-lens knows of but cannot render yet. */
export class PolicyFormatNotSupportedError extends Error {
  override name = 'PolicyFormatNotSupportedError';

  constructor(readonly format: PolicyFormat) {
    super(`format ${format} not supported yet; use json`);
  }
}

/** Service ids as Lattice writes them (`svc-0a1b…`); anything else cannot name a policy object. */
const SERVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isServiceId(value: string): boolean {
  return SERVICE_ID.test(value);
}

export interface PolicyDownload {
  service: ManifestService;
  format: PolicyFormat;
  /** The document, for json exactly the bytes suggest wrote (usable with put-auth-policy). */
  body: string;
  contentType: string;
}

/**
 * The suggested policy of `serviceId` in `format`, or undefined when the manifest does not list the
 * service (a policy file of a service that left the window is stale and never served).
 * @throws PolicyFormatNotSupportedError for a known format that cannot be rendered yet.
 * @throws ObjectNotFoundError when the manifest lists the service but its policy object is gone.
 */
export async function readSuggestedPolicy(
  store: ObjectStore,
  manifest: SuggestionsManifest,
  serviceId: string,
  format: PolicyFormat = 'json',
): Promise<PolicyDownload | undefined> {
  const service = manifest.services.find((s) => s.serviceId === serviceId);
  if (service === undefined) return undefined;
  if (format !== 'json') throw new PolicyFormatNotSupportedError(format);
  const bytes = await store.get(service.policyKey);
  return {
    service,
    format,
    body: Buffer.from(bytes).toString('utf8'),
    contentType: 'application/json',
  };
}
