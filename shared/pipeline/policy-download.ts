// Reading suggested policies back out of the store, for the download function and the CLI: only
// services the latest manifest lists, in the format asked for.
import { POLICY_FORMATS, type PolicyFormat, renderPolicyFile } from '../policy/render/index.ts';
import type { AuthPolicy } from '../policy/types.ts';
import type { ObjectStore } from '../store/index.ts';
import type { ManifestService, SuggestionsManifest } from './suggestions-manifest.ts';

export { POLICY_FORMATS, type PolicyFormat };

export function isPolicyFormat(value: string): value is PolicyFormat {
  return (POLICY_FORMATS as readonly string[]).includes(value);
}

const CONTENT_TYPE: Record<PolicyFormat, string> = {
  json: 'application/json',
  terraform: 'text/plain; charset=utf-8',
  cloudformation: 'application/json',
};

/** A policy or evidence object that is not what suggest writes (hand-edited, truncated). */
export class SuggestedPolicyFormatError extends Error {
  override name = 'SuggestedPolicyFormatError';
}

/** Service ids as Lattice writes them (`svc-0a1b…`); anything else cannot name a policy object. */
const SERVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isServiceId(value: string): boolean {
  return SERVICE_ID.test(value);
}

export interface PolicyDownload {
  service: ManifestService;
  format: PolicyFormat;
  /**
   * The document: for json exactly the bytes suggest wrote (usable with put-auth-policy); for
   * terraform and cloudformation the same rendering `analyze --format` writes.
   */
  body: string;
  contentType: string;
}

/**
 * The suggested policy of `serviceId` in `format`, or undefined when the manifest does not list the
 * service (a policy file of a service that left the window is stale and never served).
 * @throws ObjectNotFoundError when the manifest lists the service but its policy object is gone.
 * @throws SuggestedPolicyFormatError when a stored object cannot be rendered.
 */
export async function readSuggestedPolicy(
  store: ObjectStore,
  manifest: SuggestionsManifest,
  serviceId: string,
  format: PolicyFormat = 'json',
): Promise<PolicyDownload | undefined> {
  const service = manifest.services.find((s) => s.serviceId === serviceId);
  if (service === undefined) return undefined;
  const document = Buffer.from(await store.get(service.policyKey)).toString('utf8');
  const body =
    format === 'json'
      ? document
      : renderPolicyFile(
          {
            serviceArn: service.serviceArn,
            serviceId: service.serviceId,
            policy: parseStored<AuthPolicy>(service.policyKey, document),
            // The window the rendering quotes is the evidence's (first to last request seen), as
            // analyze quotes it, not the manifest's schedule window.
            ...windowOf(
              service.evidenceKey,
              Buffer.from(await store.get(service.evidenceKey)).toString('utf8'),
            ),
          },
          format,
        );
  return { service, format, body, contentType: CONTENT_TYPE[format] };
}

function parseStored<T>(key: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new SuggestedPolicyFormatError(`${key} is not JSON: ${(error as Error).message}`);
  }
}

function windowOf(key: string, text: string): { window?: { from: string; to: string } } {
  const evidence = parseStored<{ window?: { from?: unknown; to?: unknown } } | null>(key, text);
  const window = evidence?.window;
  if (typeof window?.from !== 'string' || typeof window.to !== 'string') return {};
  return { window: { from: window.from, to: window.to } };
}
