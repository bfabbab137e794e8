// Groups grant units into least-privilege statements, at a given coarseness.
import type { Grantee, GrantUnit } from './grant-units.ts';
import { withoutCoveredPatterns } from './wildcard.ts';

/** How far access is generalized; the finest level grants exactly the observed method and path. */
export interface Coarseness {
  /** Keep at most this many path segments, the rest becomes `/*`. */
  pathDepth?: number;
  /** Grant every method (no RequestMethod condition). */
  anyMethod: boolean;
  /** Grant the whole service (`/*`). */
  wholeService: boolean;
  /**
   * Name roles and users by their account: the last resort when even the whole service by
   * principal does not fit. An account principal admits every principal of the account.
   */
  principalsByAccount?: boolean;
}

export const EXACT: Coarseness = { anyMethod: false, wholeService: false };

/** A statement before rendering: who, which methods on which paths, and the units behind it. */
export interface StatementDraft {
  isAnonymous: boolean;
  /**
   * The grantees are account roots. A root ARN as Principal admits every principal of the
   * account, so these statements stand apart and are narrowed to the root user itself.
   */
  isAccountRoot: boolean;
  /**
   * Principal ARNs, account ids (roles and users named by account, see
   * Coarseness.principalsByAccount), or source VPC ids for anonymous statements; sorted.
   */
  grantees: string[];
  /** Sorted methods; `['*']` means any method. */
  methods: string[];
  /** Sorted resource paths. */
  paths: string[];
  units: GrantUnit[];
}

const ANY_METHOD = '*';
const ACCOUNT_ID = /^\d{12}$/;

/**
 * Whether principalsByAccount names this grantee by its account: roles and users of a known
 * account. Account roots already name their account, other principal forms may have none.
 */
export function isNamedByAccount(grantee: Grantee): boolean {
  return (
    (grantee.callerKind === 'role' || grantee.callerKind === 'user') &&
    ACCOUNT_ID.test(grantee.callerAccount)
  );
}

/** The principal (or source VPC) a statement names for the grantee, and what groups its access. */
function named(grantee: Grantee, coarseness: Coarseness): string {
  if (grantee.isAnonymous) return grantee.sourceVpcId;
  if (coarseness.principalsByAccount && isNamedByAccount(grantee)) return grantee.callerAccount;
  return grantee.principal;
}

export function coarsenPath(path: string, coarseness: Coarseness): string {
  if (coarseness.wholeService) return '/*';
  const depth = coarseness.pathDepth;
  if (depth === undefined) return path;
  const segments = path.split('/').slice(1);
  if (segments.length <= depth) return path;
  return `/${segments.slice(0, depth).join('/')}/*`;
}

/** The number of segments of the longest path: where path coarsening starts. */
export function deepestPath(units: readonly GrantUnit[]): number {
  return units.reduce((max, unit) => Math.max(max, unit.resourcePath.split('/').length - 1), 0);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One statement per distinct (methods, paths) block, naming every grantee whose access contains
 * exactly that block. A grantee's paths are partitioned by the exact set of methods used on them,
 * so no grantee gains a method on a path where it did not use it.
 */
export function buildStatements(
  units: readonly GrantUnit[],
  coarseness: Coarseness,
): StatementDraft[] {
  const accessByGrantee = new Map<string, Map<string, Set<string>>>();
  const granteeUnits = new Map<string, GrantUnit[]>();
  for (const unit of units) {
    if (unit.granted <= 0) continue;
    // By account, the roles and users of one account pool their access into one grantee.
    const id = coarseness.principalsByAccount
      ? `${named(unit.grantee, coarseness)}\u0000${unit.grantee.isAnonymous}`
      : unit.grantee.id;
    let access = accessByGrantee.get(id);
    if (access === undefined) {
      access = new Map();
      accessByGrantee.set(id, access);
      granteeUnits.set(id, []);
    }
    granteeUnits.get(id)?.push(unit);
    const path = coarsenPath(unit.resourcePath, coarseness);
    const methods = access.get(path) ?? new Set<string>();
    methods.add(coarseness.anyMethod ? ANY_METHOD : unit.method);
    access.set(path, methods);
  }

  const drafts = new Map<string, StatementDraft>();
  for (const [id, access] of accessByGrantee) {
    const unitsOfGrantee = granteeUnits.get(id) ?? [];
    const first = unitsOfGrantee[0];
    if (first === undefined) continue;
    const pathsByMethods = new Map<string, { methods: string[]; paths: string[] }>();
    for (const [path, methodSet] of access) {
      const methods = [...methodSet].sort(compare);
      const methodsKey = methods.join(' ');
      const block = pathsByMethods.get(methodsKey) ?? { methods, paths: [] };
      block.paths.push(path);
      pathsByMethods.set(methodsKey, block);
    }
    for (const [methodsKey, block] of pathsByMethods) {
      const inBlock = new Set(block.paths);
      // `/carts/*/items/*` already grants `/carts/*/items/sku-10007`: list only what adds access.
      block.paths = withoutCoveredPatterns(block.paths.sort(compare));
      const isAccountRoot = first.grantee.callerKind === 'root';
      const draftKey = `${first.grantee.isAnonymous}\u0000${isAccountRoot}\u0000${methodsKey}\u0000${block.paths.join('\u0000')}`;
      let draft = drafts.get(draftKey);
      if (draft === undefined) {
        draft = {
          isAnonymous: first.grantee.isAnonymous,
          isAccountRoot,
          grantees: [],
          methods: block.methods,
          paths: block.paths,
          units: [],
        };
        drafts.set(draftKey, draft);
      }
      draft.grantees.push(named(first.grantee, coarseness));
      for (const unit of unitsOfGrantee) {
        if (inBlock.has(coarsenPath(unit.resourcePath, coarseness))) draft.units.push(unit);
      }
    }
  }

  const result = [...drafts.values()];
  for (const draft of result) draft.grantees.sort(compare);
  // Signed principals first, then anonymous grants; within each, by who, then what.
  result.sort(
    (a, b) =>
      Number(a.isAnonymous) - Number(b.isAnonymous) ||
      compare(a.grantees.join(' '), b.grantees.join(' ')) ||
      compare(a.methods.join(' '), b.methods.join(' ')) ||
      compare(a.paths.join(' '), b.paths.join(' ')),
  );
  return result;
}

export { ANY_METHOD };
