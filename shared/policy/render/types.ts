// What a rendering needs to know about a policy: the document and the service it is attached to.
import type { AuthPolicy } from '../types.ts';

export interface RenderablePolicy {
  serviceArn: string;
  serviceId: string;
  policy: AuthPolicy;
  /** The log window the policy was learned from, quoted in a comment when known. */
  window?: { from: string; to: string };
}
