// The fields of a call pattern's key, in one order for every table, packing and output.
import type { CallPatternKey } from './types.ts';

/** The key fields, in patternKeyString (and so output) order. */
export const KEY_FIELDS = [
  'hour',
  'recordKind',
  'serviceNetworkArn',
  'serviceArn',
  'callerPrincipal',
  'callerKind',
  'callerAccount',
  'callerX509SubjectCN',
  'requestMethod',
  'pathTemplate',
  'sourceVpcId',
] as const satisfies readonly (keyof CallPatternKey)[];
