// The callers a human should look at before enforcing: denied, foreign, anonymous, rarely seen.

import { seenRange } from '../patterns/seen-range.ts';
import { ANY_METHOD, type StatementDraft } from './build-statements.ts';
import type { Grantee, GrantUnit } from './grant-units.ts';
import type { ReviewItem, ReviewReason } from './types.ts';
import { matchesWildcard } from './wildcard.ts';

export interface Thresholds {
  minRequests: number;
  minDays: number;
}

const REASON_ORDER: ReviewReason[] = [
  'auth-denied-only',
  'partly-auth-denied',
  'auth-denied-allowed',
  'cross-account',
  'anonymous-grant',
  'seen-once',
  'rare',
];

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * True when a statement of the policy grants the unit's caller its method on a resource pattern
 * that covers the unit's: the policy would allow the unit's requests. Also true when one covers
 * the percent-decoded reading of its auth-denied requests' paths: it may let those through (see
 * GrantUnit.deniedDecodedPaths), and simulate reports them as unknown.
 */
function isGranted(unit: GrantUnit, drafts: readonly StatementDraft[]): boolean {
  const { grantee } = unit;
  const names = (draft: StatementDraft) =>
    grantee.isAnonymous
      ? draft.grantees.includes(grantee.sourceVpcId)
      : draft.grantees.includes(grantee.principal) ||
        // A statement naming an account (principals-to-accounts) grants all its principals,
        // callers that were never granted included.
        (grantee.callerAccount !== '' && draft.grantees.includes(grantee.callerAccount));
  const covers = (path: string) =>
    matchesWildcard(path, unit.resourcePath) ||
    unit.deniedDecodedPaths.some((decoded) => matchesWildcard(path, decoded));
  return drafts.some(
    (draft) =>
      draft.isAnonymous === grantee.isAnonymous &&
      names(draft) &&
      (draft.methods.includes(ANY_METHOD) || draft.methods.includes(unit.method)) &&
      draft.paths.some(covers),
  );
}

/**
 * The review list of one service's policy. `drafts` are the statements chosen (after any
 * coarsening): auth denials they would let through are listed, since enforcing the policy
 * changes the outcome of those requests.
 */
export function reviewList(
  units: readonly GrantUnit[],
  serviceAccount: string,
  thresholds: Thresholds,
  drafts: readonly StatementDraft[],
): ReviewItem[] {
  const byGrantee = new Map<string, { grantee: Grantee; units: GrantUnit[] }>();
  for (const unit of units) {
    const entry = byGrantee.get(unit.grantee.id) ?? { grantee: unit.grantee, units: [] };
    entry.units.push(unit);
    byGrantee.set(unit.grantee.id, entry);
  }
  const items: ReviewItem[] = [];
  for (const [id, { grantee, units: own }] of byGrantee) {
    const granted = own.reduce((sum, u) => sum + u.granted, 0);
    const authDenied = own.reduce((sum, u) => sum + u.authDenied, 0);
    const days = new Set(own.flatMap((u) => [...u.days]));
    const seen = seenRange(own);
    const item = (reason: ReviewReason, detail: string, shown: GrantUnit[]): ReviewItem => ({
      reason,
      caller: id,
      callerKind: grantee.callerKind,
      callerAccount: grantee.callerAccount,
      requests: granted,
      authDenied,
      firstSeen: iso(seen.first),
      lastSeen: iso(seen.last),
      access: [...new Set(shown.map((u) => `${u.method} ${u.resourcePath}`))].sort(),
      detail,
    });
    const grantedUnits = own.filter((u) => u.granted > 0);
    // Denials on access the policy grants anyway: the same caller, method and path pattern also
    // succeeded (a service-network policy, the caller's identity policy or a change during the
    // window denied them), or a coarsened grant covers them.
    const letThrough = own.filter((u) => u.authDenied > 0 && isGranted(u, drafts));
    if (letThrough.length > 0) {
      const denied = letThrough.reduce((sum, u) => sum + u.authDenied, 0);
      items.push(
        item(
          'auth-denied-allowed',
          `${denied} request(s) were denied by auth on access this policy grants: enforcing it lets them through. Find out why they were denied before applying.`,
          letThrough,
        ),
      );
    }
    if (granted === 0) {
      // Only a statement naming the caller's account grants it anything: those denials are
      // listed above, the rest here.
      const notGranted = own.filter((u) => !letThrough.includes(u));
      const denied = notGranted.reduce((sum, u) => sum + u.authDenied, 0);
      if (denied > 0) {
        items.push(
          item(
            'auth-denied-only',
            `${denied} request(s), all denied by auth: not granted. Grant by hand only if this caller should have access.`,
            notGranted,
          ),
        );
      }
      continue;
    }
    const deniedUnits = own.filter(
      (u) => u.authDenied > 0 && u.granted === 0 && !letThrough.includes(u),
    );
    if (deniedUnits.length > 0) {
      const denied = deniedUnits.reduce((sum, u) => sum + u.authDenied, 0);
      items.push(
        item(
          'partly-auth-denied',
          `${denied} request(s) denied by auth on access it was never granted; only its successful access is in the policy.`,
          deniedUnits,
        ),
      );
    }
    if (grantee.isAnonymous) {
      items.push(
        item(
          'anonymous-grant',
          `unsigned requests from ${grantee.sourceVpcId} are granted to Principal "*" narrowed by vpc-lattice-svcs:SourceVpc; prefer signing them with SigV4.`,
          grantedUnits,
        ),
      );
    } else if (grantee.callerAccount !== '' && grantee.callerAccount !== serviceAccount) {
      items.push(
        item(
          'cross-account',
          `caller from account ${grantee.callerAccount}, the service is in ${serviceAccount}.`,
          grantedUnits,
        ),
      );
    }
    if (granted === 1) {
      items.push(item('seen-once', 'granted on a single request.', grantedUnits));
    } else if (granted < thresholds.minRequests || days.size < thresholds.minDays) {
      items.push(
        item(
          'rare',
          `${granted} request(s) on ${days.size} day(s), below ${thresholds.minRequests} requests or ${thresholds.minDays} days.`,
          grantedUnits,
        ),
      );
    }
  }
  items.sort(
    (a, b) =>
      REASON_ORDER.indexOf(a.reason) - REASON_ORDER.indexOf(b.reason) ||
      (a.caller < b.caller ? -1 : a.caller > b.caller ? 1 : 0),
  );
  return items;
}
