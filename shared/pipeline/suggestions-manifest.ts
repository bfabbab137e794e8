// policies/latest.json: what the latest suggest run wrote, for the download function and the CLI
// to list from without scanning the bucket, and to serve only current policies (not stale files).
import { ObjectNotFoundError, type ObjectStore } from '../store/index.ts';
import { MANIFEST_KEY } from './bucket-layout.ts';

export interface ManifestService {
  serviceId: string;
  serviceArn: string;
  policyKey: string;
  evidenceKey: string;
  /** Statements in the policy (0: no successful traffic, the policy allows nobody). */
  statements: number;
  /** Items on the evidence's review list. */
  review: number;
  /**
   * The policy is over the auth-policy size limit even at its coarsest: PutAuthPolicy would
   * reject it (the evidence says how large it is). Written by every suggest run; a manifest from
   * before it was added leaves it out.
   */
  exceedsSizeLimit?: boolean;
}

export interface SuggestionsManifest {
  /** The traffic considered: summaries of every UTC hour overlapping [from, to). */
  window: { from: string; to: string; days: number };
  /** When the suggestions were made: the schedule's event time, so a re-run writes the same bytes. */
  generatedAt: string;
  /** How many summary objects were merged. */
  summaries: number;
  services: ManifestService[];
  reportKey: string;
}

/** A manifest that is not what suggest writes: hand-edited, truncated, or from another tool. */
export class ManifestFormatError extends Error {
  override name = 'ManifestFormatError';
}

/** The manifest in `store`, or undefined when no suggest run has written one yet. */
export async function readManifest(store: ObjectStore): Promise<SuggestionsManifest | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await store.get(MANIFEST_KEY);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
  return parseManifest(Buffer.from(bytes).toString('utf8'));
}

/** Parses and checks manifest text. @throws ManifestFormatError naming what is wrong. */
export function parseManifest(text: string): SuggestionsManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestFormatError(`${MANIFEST_KEY} is not JSON: ${(error as Error).message}`);
  }
  const manifest = value as Partial<SuggestionsManifest> | null;
  const fail = (what: string): never => {
    throw new ManifestFormatError(`${MANIFEST_KEY}: ${what}`);
  };
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    return fail('expected a JSON object');
  }
  const { window } = manifest;
  if (
    typeof window !== 'object' ||
    window === null ||
    typeof window.from !== 'string' ||
    typeof window.to !== 'string' ||
    typeof window.days !== 'number'
  ) {
    fail('window should be {from, to, days}');
  }
  if (typeof manifest.generatedAt !== 'string') fail('generatedAt should be a string');
  if (typeof manifest.summaries !== 'number') fail('summaries should be a number');
  if (typeof manifest.reportKey !== 'string') fail('reportKey should be a string');
  if (!Array.isArray(manifest.services)) return fail('services should be a list');
  manifest.services.forEach((service: Partial<ManifestService> | null, index) => {
    const isService =
      typeof service === 'object' &&
      service !== null &&
      typeof service.serviceId === 'string' &&
      typeof service.serviceArn === 'string' &&
      typeof service.policyKey === 'string' &&
      typeof service.evidenceKey === 'string' &&
      typeof service.statements === 'number' &&
      typeof service.review === 'number' &&
      (service.exceedsSizeLimit === undefined || typeof service.exceedsSizeLimit === 'boolean');
    if (!isService) {
      fail(
        `services[${index}] should have serviceId, serviceArn, policyKey, evidenceKey (strings), ` +
          'statements and review (numbers), and exceedsSizeLimit (a boolean) if any',
      );
    }
  });
  return manifest as SuggestionsManifest;
}
