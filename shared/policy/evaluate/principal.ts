// Principal matching for a resource policy (aws-contracts.md §4): `*`, account ids and roots,
// role ARNs that match every session of the role, and other principal ARNs exactly.
import { arnParts } from './conditions.ts';
import type { PrincipalEntry } from './policy-document.ts';
import type { CallerContext } from './request-context.ts';
import type { Tristate } from './tristate.ts';

export interface PrincipalMatch {
  result: Tristate;
  unknown?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

export function matchPrincipal(entry: PrincipalEntry, caller: CallerContext): PrincipalMatch {
  if (entry.kind === 'everyone') return { result: true };
  // Service, Federated and CanonicalUser principals never sign Lattice requests.
  if (entry.kind !== 'AWS') return { result: false };
  const value = entry.value;
  if (value === '*') {
    if (!caller.isAnonymous) return { result: true };
    // IAM documents {"AWS": "*"} as "*" (everyone, anonymous included), while CDK warns that
    // some services treat the two differently; the Lattice guide does not say which it does.
    return {
      result: 'unknown',
      unknown:
        'Principal {"AWS": "*"} with an unsigned request: whether Lattice admits it is not documented',
    };
  }
  if (caller.isAnonymous) return { result: false };
  const parts = ACCOUNT_ID.test(value) ? undefined : arnParts(value);
  const account = ACCOUNT_ID.test(value)
    ? value
    : parts?.[2] === 'iam' && parts[5] === 'root'
      ? parts[4]
      : undefined;
  if (account !== undefined) {
    // An account principal admits every principal of that account (its identity policies decide
    // the rest, which the logs do not show; the simulation assumes they allow).
    if (parts !== undefined && caller.partition !== undefined && parts[1] !== caller.partition) {
      return { result: false };
    }
    if (caller.account === undefined) {
      return { result: 'unknown', unknown: `the account of caller ${caller.arn} is not known` };
    }
    return { result: caller.account === account };
  }
  if (caller.arn === value) return { result: true };
  const resource = parts?.[5] ?? '';
  if (parts?.[2] === 'iam' && resource.startsWith('role/') && caller.roleName !== undefined) {
    const path = resource.split('/');
    const isSameRole =
      parts[1] === caller.partition &&
      parts[4] === caller.account &&
      path[path.length - 1] === caller.roleName;
    if (!isSameRole) return { result: false };
    // A role ARN names every session of the role. The session ARN drops the role's path, so a
    // role named under a path (`role/service-role/x`) may or may not be the caller's role.
    if (path.length === 2) return { result: true };
    return {
      result: 'unknown',
      unknown: `the policy names ${value}; the session ARN ${caller.arn} does not show the role's path`,
    };
  }
  return { result: false };
}
