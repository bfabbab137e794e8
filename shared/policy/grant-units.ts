// Folds a service's call patterns into grant units (one per grantee, method and resource path),
// and into its patterns over the whole window, paths generalized the same way.
import { callerId } from '../identity/index.ts';
import { decodePath, learnPathTemplates, pathTemplateToResourcePattern } from '../paths/index.ts';
import {
  type CallPattern,
  copyPattern,
  hourOf,
  mergeInto,
  sortPatterns,
} from '../patterns/index.ts';

/**
 * Who a statement names. Signed callers by principal ARN; unsigned callers cannot be named, so
 * they are grouped by the VPC they came from and granted as `*` narrowed by that VPC.
 */
export interface Grantee {
  id: string;
  isAnonymous: boolean;
  principal: string;
  sourceVpcId: string;
  callerKind: string;
  callerAccount: string;
}

export interface GrantUnit {
  grantee: Grantee;
  method: string;
  /** The resource path pattern, `*` where the template had a placeholder. */
  resourcePath: string;
  /**
   * For auth-denied requests whose path reads differently percent-decoded (`/a%2Fb` as `/a/b`),
   * the resource patterns of those readings: whether Lattice matches a policy against the path
   * as sent or decoded is not documented, so a grant covering either may let them through.
   */
  deniedDecodedPaths: string[];
  /** Requests that the service answered: any status but an auth denial. */
  granted: number;
  authDenied: number;
  firstSeen: number;
  lastSeen: number;
  days: Set<string>;
  serviceNetworkArns: Set<string>;
  examplePaths: string[];
  sessionNames: string[];
}

function granteeOf(pattern: CallPattern): Grantee {
  const isAnonymous = pattern.callerKind === 'anonymous';
  return {
    id: callerId(pattern.callerKind, pattern.callerPrincipal, pattern.sourceVpcId),
    isAnonymous,
    principal: pattern.callerPrincipal,
    sourceVpcId: pattern.sourceVpcId,
    callerKind: pattern.callerKind,
    callerAccount: pattern.callerAccount,
  };
}

/** `into` (sorted, distinct, at most `limit`) with `from` merged: the smallest distinct values. */
function mergeSmallest(into: string[], from: readonly string[], limit: number): string[] {
  // Most patterns bring nothing new: their values are kept already, or sort after a full list.
  // Checked first, as sorting a merged copy for each of 176k patterns cost 0.3 s.
  const last = into[into.length - 1];
  let isChanged = false;
  for (const value of from) {
    if (into.length >= limit && last !== undefined && value > last) continue;
    if (into.includes(value)) continue;
    isChanged = true;
    break;
  }
  if (!isChanged) return into;
  const all = [...new Set([...into, ...from])].sort();
  return all.slice(0, limit);
}

/** A path template of the service: its requests, to learn from, then what it generalizes to. */
interface Template {
  requests: number;
  /** The learned template (`/users/{var}`), or the template itself. */
  generalized: string;
  resourcePath: string;
  /** The resource pattern of `generalized` percent-decoded, when it is not `resourcePath`. */
  decodedResourcePath: string | undefined;
}

/** A service's grant units, and its patterns over the window in the units' terms. */
export interface GrantUnits {
  units: GrantUnit[];
  /**
   * The patterns without their hour and with generalized path templates, merged and sorted by
   * key (as a PatternSet merges and sorts them).
   */
  windowPatterns: CallPattern[];
}

/** Whether two patterns have the same key fields but hour, method and path template. */
function isSameCaller(a: CallPattern, b: CallPattern): boolean {
  return (
    a.callerPrincipal === b.callerPrincipal &&
    a.callerKind === b.callerKind &&
    a.sourceVpcId === b.sourceVpcId &&
    a.callerAccount === b.callerAccount &&
    a.callerX509SubjectCN === b.callerX509SubjectCN &&
    a.serviceNetworkArn === b.serviceNetworkArn &&
    a.serviceArn === b.serviceArn &&
    a.recordKind === b.recordKind
  );
}

/** The key fields of a pattern but its hour, method and template, and what is folded by them. */
interface Caller {
  /** The first pattern of the caller. */
  pattern: CallPattern;
  /** The caller's grantee's units, by method and resource path. */
  unitsByMethod: Map<string, Map<string, GrantUnit>>;
  /** The caller's window patterns, by method and generalized template. */
  windowByMethod: Map<string, Map<string, CallPattern>>;
}

/** The value of `key` in `map`, a new map put there first if it has none. */
function mapAt<K, V>(map: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = map.get(key);
  if (inner === undefined) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

/**
 * The grant units of one service, from its patterns added one at a time. Path templates are
 * first generalized with the templates learned from this service's own traffic
 * (`/users/alice`, `/users/bob`, … → `/users/{var}`), so units are built once all are added.
 * The window patterns (what the report lists) are folded in the same pass: reading the 176k
 * patterns of a large window, their examples and session names, is most of the cost of both.
 */
export class GrantUnitBuilder {
  readonly #examples: number;
  readonly #patterns: CallPattern[] = [];
  /** The template of each pattern, side by side with them: looked up once per pattern. */
  readonly #templateOf: Template[] = [];
  readonly #templates = new Map<string, Template>();

  constructor(examples: number) {
    this.#examples = examples;
  }

  add(pattern: CallPattern): void {
    let template = this.#templates.get(pattern.pathTemplate);
    if (template === undefined) {
      template = {
        requests: 0,
        generalized: pattern.pathTemplate,
        resourcePath: '',
        decodedResourcePath: undefined,
      };
      this.#templates.set(pattern.pathTemplate, template);
    }
    template.requests += pattern.requests;
    this.#patterns.push(pattern);
    this.#templateOf.push(template);
  }

  build(): GrantUnits {
    this.#learnTemplates();
    const examples = this.#examples;
    const units: GrantUnit[] = [];
    const windowPatterns: CallPattern[] = [];
    // Units by grantee id, method and resource path, window patterns by caller, method and
    // generalized template, in nested maps: a joined key string per pattern, a grantee object
    // per pattern and a day string per pattern cost 0.3 s on 176k.
    const unitsByGrantee = new Map<string, Map<string, Map<string, GrantUnit>>>();
    // Callers (the key fields but method and template) by principal and source VPC; the few of
    // each (accounts, networks, …) are compared field by field, with no key string built.
    const callers = new Map<string, Map<string, Caller[]>>();
    // Patterns come sorted by key: most have the caller and the hour of the one before, and
    // skip the caller lookups and the day.
    let caller: Caller | undefined;
    let hour: string | undefined;
    let day = '';
    const patterns = this.#patterns;
    for (let i = 0; i < patterns.length; i++) {
      const pattern = patterns[i] as CallPattern;
      if (caller === undefined || !isSameCaller(pattern, caller.pattern)) {
        const ofPrincipal = mapAt(callers, pattern.callerPrincipal);
        let same = ofPrincipal.get(pattern.sourceVpcId);
        if (same === undefined) {
          same = [];
          ofPrincipal.set(pattern.sourceVpcId, same);
        }
        caller = same.find((c) => isSameCaller(pattern, c.pattern));
        if (caller === undefined) {
          const id = callerId(pattern.callerKind, pattern.callerPrincipal, pattern.sourceVpcId);
          caller = { pattern, unitsByMethod: mapAt(unitsByGrantee, id), windowByMethod: new Map() };
          same.push(caller);
        }
      }
      const { unitsByMethod, windowByMethod } = caller;
      const template = this.#templateOf[i] as Template;

      const byPath = mapAt(unitsByMethod, pattern.requestMethod);
      let unit = byPath.get(template.resourcePath);
      if (unit === undefined) {
        unit = {
          grantee: granteeOf(pattern),
          method: pattern.requestMethod,
          resourcePath: template.resourcePath,
          granted: 0,
          authDenied: 0,
          firstSeen: pattern.firstSeen,
          lastSeen: pattern.lastSeen,
          days: new Set(),
          serviceNetworkArns: new Set(),
          examplePaths: [],
          sessionNames: [],
          deniedDecodedPaths: [],
        };
        byPath.set(template.resourcePath, unit);
        units.push(unit);
      }
      unit.granted += pattern.requests - pattern.authDenied;
      unit.authDenied += pattern.authDenied;
      const decoded = template.decodedResourcePath;
      if (pattern.authDenied > 0 && decoded !== undefined) {
        if (!unit.deniedDecodedPaths.includes(decoded)) unit.deniedDecodedPaths.push(decoded);
      }
      unit.firstSeen = Math.min(unit.firstSeen, pattern.firstSeen);
      unit.lastSeen = Math.max(unit.lastSeen, pattern.lastSeen);
      if (pattern.hour === '') {
        unit.days.add(hourOf(pattern.firstSeen).slice(0, 10));
      } else {
        if (pattern.hour !== hour) {
          hour = pattern.hour;
          day = hour.slice(0, 10);
        }
        unit.days.add(day);
      }
      if (pattern.serviceNetworkArn !== '') unit.serviceNetworkArns.add(pattern.serviceNetworkArn);
      unit.examplePaths = mergeSmallest(unit.examplePaths, pattern.examplePaths, examples);
      unit.sessionNames = mergeSmallest(unit.sessionNames, pattern.sessionNames, examples);

      const byTemplate = mapAt(windowByMethod, pattern.requestMethod);
      const merged = byTemplate.get(template.generalized);
      if (merged === undefined) {
        const created = copyPattern(pattern);
        created.hour = '';
        created.pathTemplate = template.generalized;
        byTemplate.set(template.generalized, created);
        windowPatterns.push(created);
      } else {
        mergeInto(merged, pattern);
      }
    }
    return { units, windowPatterns: sortPatterns(windowPatterns) };
  }

  /** Generalizes every template with those learned from all of them, and converts it. */
  #learnTemplates(): void {
    const learned = learnPathTemplates(
      Array.from(this.#templates, ([template, { requests }]) => ({ template, requests })),
    );
    // Thousands of templates generalize to a few (`/users/{var}`): each of those is converted
    // once, and equal results are one string, hashed once as a map key.
    const shared = new Map<string, string>();
    const convertedOf = new Map<string, { resourcePath: string; decoded: string | undefined }>();
    for (const [template, entry] of this.#templates) {
      const to = learned.get(template) ?? template;
      const generalized = shared.get(to) ?? to;
      shared.set(generalized, generalized);
      let converted = convertedOf.get(generalized);
      if (converted === undefined) {
        const pattern = pathTemplateToResourcePattern(generalized);
        const resourcePath = shared.get(pattern) ?? pattern;
        shared.set(resourcePath, resourcePath);
        const decoded = pathTemplateToResourcePattern(decodePath(generalized));
        converted = { resourcePath, decoded: decoded === resourcePath ? undefined : decoded };
        convertedOf.set(generalized, converted);
      }
      entry.generalized = generalized;
      entry.resourcePath = converted.resourcePath;
      entry.decodedResourcePath = converted.decoded;
    }
  }
}

/** Grant units of one service (see GrantUnitBuilder). */
export function grantUnitsOf(patterns: readonly CallPattern[], examples: number): GrantUnits {
  const builder = new GrantUnitBuilder(examples);
  for (const pattern of patterns) builder.add(pattern);
  return builder.build();
}
