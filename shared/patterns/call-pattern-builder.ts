// callPatternOf for the fast parse path: the same pattern from the few fields a FastAccessLogRecord
// carries, with the expensive steps (caller identity, path templating) remembered by raw value.
// callPatternOf stays the reference; a differential property test holds the two equal.
import {
  ANONYMOUS_PRINCIPAL,
  type CallerKind,
  dependsOnService,
  identifyCallerFields,
} from '../identity/index.ts';
import type { FastAccessLogRecord, FastResourceRecord, FastServiceRecord } from '../log/index.ts';
import { templatePath } from '../paths/index.ts';
import { isDigitsAt, isUuidAt } from '../paths/segment-at.ts';
import { portOf } from './call-pattern.ts';
import { newPatternKeyIds, type PatternKeyIds } from './call-pattern-table.ts';
import { HOUR_MS, hourOf } from './hour.ts';
import { BoundedMemo, detachString } from './retained-strings.ts';
import type { StringIds } from './string-ids.ts';
import type { CallPattern } from './types.ts';

/** A named caller as a pattern keys it (identifyCaller without the per-request parts). */
interface NamedCaller {
  principal: string;
  kind: CallerKind;
  account: string;
  principalId: number;
  kindId: number;
  accountId: number;
}

/** What a source VPC ARN tells about an anonymous caller. */
interface VpcOrigin {
  id: string | undefined;
  ownerAccount: string | undefined;
  /** Ids of `ownerAccount ?? ''` and of `id ?? ''`. */
  ownerAccountId: number;
  idId: number;
}

/** A request method and its id, remembered once per distinct method. */
interface Method {
  /** As sent: RequestMethod conditions compare case-sensitively. */
  name: string;
  id: number;
}

/** A path template built segment by segment; children by the template of the next segment. */
interface TemplateNode {
  template: string;
  /** Id of `template`, or -1 until a path ends here. */
  id: number;
  children: Map<string, TemplateNode> | undefined;
}

const NO_NAMES: readonly string[] = Object.freeze([]);
/** `[\w+=,.@-]`: a character of an IAM name, so of an STS session name. */
function isIamNameChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x2b ||
    c === 0x3d ||
    c === 0x2c ||
    c === 0x2e ||
    c === 0x40 ||
    c === 0x2d
  );
}

/** Where the query string or fragment of a path starts, or its length. */
function queryStart(path: string): number {
  const query = path.indexOf('?');
  const fragment = path.indexOf('#');
  if (query === -1) return fragment === -1 ? path.length : fragment;
  return fragment === -1 || query < fragment ? query : fragment;
}

/**
 * Builds the single-request call pattern of fast records, and its key as ids in `ids` (see
 * CallPatternTable.addKeyed). One builder per aggregation: its memo tables are bounded.
 */
export class CallPatternBuilder {
  /** The key ids of the last pattern built. */
  readonly key: PatternKeyIds = newPatternKeyIds();
  readonly #ids: StringIds;
  readonly #pattern: CallPattern = {
    hour: '',
    recordKind: 'service',
    serviceNetworkArn: '',
    serviceArn: '',
    callerPrincipal: '',
    callerKind: 'anonymous',
    callerAccount: '',
    callerX509SubjectCN: '',
    requestMethod: '',
    pathTemplate: '',
    sourceVpcId: '',
    requests: 1,
    status1xx: 0,
    status2xx: 0,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    authDenied: 0,
    other4xx: 0,
    bytesReceived: 0,
    bytesSent: 0,
    durationSumMs: 0,
    durationMaxMs: 0,
    firstSeen: 0,
    lastSeen: 0,
    examplePaths: [],
    sessionNames: [],
  };
  readonly #examplePath: string[] = [''];
  readonly #sessionName: string[] = [''];
  #hour = '';
  #hourId = 0;
  #hourStartMs = Number.NaN;
  readonly #serviceKindId: number;
  readonly #resourceKindId: number;
  readonly #emptyId: number;
  readonly #noVpc: VpcOrigin;
  /** Marks an ARN prefix whose session part does not make it an assumed-role session. */
  readonly #notASession: NamedCaller;
  readonly #anonymous: NamedCaller;
  readonly #methods = new BoundedMemo<Method>(256);
  /** Template of a raw path segment. */
  readonly #segments = new BoundedMemo<string>(8192);
  readonly #templates: TemplateNode = { template: '', id: -1, children: undefined };

  readonly #principals = new BoundedMemo<NamedCaller>(4096);
  /** Role of an assumed-role session ARN, by the ARN up to its last `/` (the session name varies). */
  readonly #sessionRoles = new BoundedMemo<NamedCaller>(4096);
  readonly #vpcs = new BoundedMemo<VpcOrigin>(1024);

  constructor(ids: StringIds) {
    this.#ids = ids;
    this.#serviceKindId = ids.idOf('service');
    this.#resourceKindId = ids.idOf('resource');
    this.#emptyId = ids.idOf('');
    this.#noVpc = this.#vpcOrigin(undefined, undefined);
    this.#notASession = this.#named('', 'principal', '');
    this.#anonymous = this.#named(ANONYMOUS_PRINCIPAL, 'anonymous', '');
  }

  /**
   * callPatternOf of the record the fast path read, its key ids in `key`. The result is reused
   * by the next call and its strings may be views into log text: a table keeps a copy.
   */
  patternOf(record: FastAccessLogRecord): CallPattern {
    return record.kind === 'service' ? this.#servicePattern(record) : this.#resourcePattern(record);
  }

  #servicePattern(record: FastServiceRecord): CallPattern {
    const p = this.#pattern;
    const key = this.key;
    const ids = this.#ids;
    p.hour = this.#hourOf(record.startMs);
    key[0] = this.#hourId;
    p.recordKind = 'service';
    key[1] = this.#serviceKindId;
    const network = record.serviceNetworkArn ?? '';
    p.serviceNetworkArn = network;
    key[2] = ids.idOf(network);
    p.serviceArn = record.serviceArn;
    key[3] = ids.idOf(record.serviceArn);
    p.sessionNames = NO_NAMES as string[];
    const principal = record.callerPrincipal;
    // The VPC ARN matters only for an unsigned caller's account or a missing sourceVpcId.
    const vpc =
      record.sourceVpcArn === undefined ||
      (principal !== undefined && record.sourceVpcId !== undefined)
        ? this.#noVpc
        : this.#vpcOf(record.sourceVpcArn);
    let caller: NamedCaller;
    if (principal === undefined) {
      caller = this.#anonymous;
      // An unsigned caller has no account of its own: identifyCaller takes the VPC owner's.
      p.callerAccount = vpc.ownerAccount ?? '';
      key[6] = vpc.ownerAccountId;
    } else {
      caller = this.#namedCaller(principal, record.serviceArn);
      p.callerAccount = caller.account;
      key[6] = caller.accountId;
    }
    p.callerPrincipal = caller.principal;
    key[4] = caller.principalId;
    p.callerKind = caller.kind;
    key[5] = caller.kindId;
    const subjectCN = record.callerX509SubjectCN;
    p.callerX509SubjectCN = subjectCN ?? '';
    key[7] = subjectCN === undefined ? this.#emptyId : ids.idOf(subjectCN);
    const method = this.#methodOf(record.requestMethod);
    p.requestMethod = method.name;
    key[8] = method.id;
    const path = record.requestPath;
    const cut = queryStart(path);
    const template = this.#templateOf(path, cut);
    p.pathTemplate = template.template;
    key[9] = template.id;
    const sourceVpcId = record.sourceVpcId;
    if (sourceVpcId === undefined) {
      p.sourceVpcId = vpc.id ?? '';
      key[10] = vpc.idId;
    } else {
      p.sourceVpcId = sourceVpcId;
      key[10] = ids.idOf(sourceVpcId);
    }
    const code = record.responseCode;
    const statusClass = Math.floor(code / 100);
    const isAuthDenied = code === 403 && record.authDeniedReason !== undefined;
    p.status1xx = statusClass === 1 ? 1 : 0;
    p.status2xx = statusClass === 2 ? 1 : 0;
    p.status3xx = statusClass === 3 ? 1 : 0;
    p.status4xx = statusClass === 4 ? 1 : 0;
    p.status5xx = statusClass === 5 ? 1 : 0;
    p.authDenied = isAuthDenied ? 1 : 0;
    p.other4xx = statusClass === 4 && !isAuthDenied ? 1 : 0;
    p.bytesReceived = record.bytesReceived ?? 0;
    p.bytesSent = record.bytesSent ?? 0;
    const duration = record.duration ?? 0;
    p.durationSumMs = duration;
    p.durationMaxMs = duration;
    p.firstSeen = record.startMs;
    p.lastSeen = record.startMs;
    this.#examplePath[0] = cut === path.length ? path : path.slice(0, cut);
    p.examplePaths = this.#examplePath;
    return p;
  }

  #resourcePattern(record: FastResourceRecord): CallPattern {
    const p = this.#pattern;
    const key = this.key;
    const ids = this.#ids;
    const startMs = record.startMs;
    const endMs = record.endTime === undefined ? Number.NaN : Date.parse(record.endTime);
    const duration = Number.isFinite(endMs) ? Math.max(0, endMs - startMs) : 0;
    const vpc = record.sourceVpcArn === undefined ? this.#noVpc : this.#vpcOf(record.sourceVpcArn);
    p.hour = this.#hourOf(startMs);
    key[0] = this.#hourId;
    p.recordKind = 'resource';
    key[1] = this.#resourceKindId;
    p.serviceNetworkArn = record.serviceNetworkArn ?? '';
    key[2] = ids.idOf(p.serviceNetworkArn);
    p.serviceArn = record.resourceConfigurationArn;
    key[3] = ids.idOf(p.serviceArn);
    // Resource logs name no principal: the caller is its VPC.
    p.callerPrincipal = this.#anonymous.principal;
    key[4] = this.#anonymous.principalId;
    p.callerKind = 'anonymous';
    key[5] = this.#anonymous.kindId;
    p.callerAccount = vpc.ownerAccount ?? '';
    key[6] = vpc.ownerAccountId;
    p.callerX509SubjectCN = '';
    key[7] = this.#emptyId;
    p.requestMethod = record.protocol ?? 'TCP';
    key[8] = ids.idOf(p.requestMethod);
    p.pathTemplate = `:${portOf(record.destinationIpPort ?? record.resourceIpPort)}`;
    key[9] = ids.idOf(p.pathTemplate);
    if (record.sourceVpcId === undefined) {
      p.sourceVpcId = vpc.id ?? '';
      key[10] = vpc.idId;
    } else {
      p.sourceVpcId = record.sourceVpcId;
      key[10] = ids.idOf(record.sourceVpcId);
    }
    p.status1xx = 0;
    p.status2xx = 0;
    p.status3xx = 0;
    p.status4xx = 0;
    p.status5xx = 0;
    p.authDenied = 0;
    p.other4xx = 0;
    p.bytesReceived = record.receivedBytes ?? 0;
    p.bytesSent = record.sentBytes ?? 0;
    p.durationSumMs = duration;
    p.durationMaxMs = duration;
    p.firstSeen = startMs;
    p.lastSeen = startMs;
    p.examplePaths = NO_NAMES as string[];
    p.sessionNames = NO_NAMES as string[];
    return p;
  }

  #hourOf(epochMs: number): string {
    const offset = epochMs - this.#hourStartMs;
    if (offset >= 0 && offset < HOUR_MS) return this.#hour;
    this.#hour = hourOf(epochMs);
    this.#hourId = this.#ids.idOf(this.#hour);
    this.#hourStartMs = epochMs - (((epochMs % HOUR_MS) + HOUR_MS) % HOUR_MS);
    return this.#hour;
  }

  #methodOf(method: string): Method {
    let known = this.#methods.get(method);
    if (known === undefined) {
      const name = detachString(method);
      known = { name, id: this.#ids.idOf(name) };
      this.#methods.set(name, known);
    }
    return known;
  }

  #vpcOf(sourceVpcArn: string): VpcOrigin {
    let vpc = this.#vpcs.get(sourceVpcArn);
    if (vpc === undefined) {
      const identity = identifyCallerFields({ serviceArn: '', sourceVpcArn });
      vpc = this.#vpcOrigin(identity.sourceVpcId, identity.account);
      this.#vpcs.set(detachString(sourceVpcArn), vpc);
    }
    return vpc;
  }

  #vpcOrigin(id: string | undefined, ownerAccount: string | undefined): VpcOrigin {
    return {
      id,
      ownerAccount,
      ownerAccountId: this.#ids.idOf(ownerAccount ?? ''),
      idId: this.#ids.idOf(id ?? ''),
    };
  }

  #named(principal: string, kind: CallerKind, account: string): NamedCaller {
    const ids = this.#ids;
    return {
      principal: detachString(principal),
      kind,
      account: detachString(account),
      principalId: ids.idOf(principal),
      kindId: ids.idOf(kind),
      accountId: ids.idOf(account),
    };
  }

  /** The caller of a signed request; sets the session name for an assumed-role session. */
  #namedCaller(principal: string, serviceArn: string): NamedCaller {
    const slash = principal.lastIndexOf('/');
    if (slash !== -1 && this.#isSessionName(principal, slash + 1)) {
      const prefix = principal.slice(0, slash + 1);
      let role = this.#sessionRoles.get(prefix);
      if (role === undefined) {
        role = this.#identify(principal, serviceArn);
        // Only when identifyCaller read it as an assumed-role session is the caller the same
        // for every session name after this prefix.
        if (this.#sessionName[0] !== principal.slice(slash + 1)) role = this.#notASession;
        this.#sessionRoles.set(detachString(prefix), role);
      }
      if (role !== this.#notASession) {
        this.#sessionName[0] = principal.slice(slash + 1);
        this.#pattern.sessionNames = this.#sessionName;
        return role;
      }
    }
    // A bare account id is named in the partition of the service called: not memoized.
    if (dependsOnService(principal)) return this.#identify(principal, serviceArn);
    let named = this.#principals.get(principal);
    if (named === undefined) {
      named = this.#identify(principal, serviceArn);
      this.#principals.set(detachString(principal), named);
    }
    return named;
  }

  /** identifyCaller on the principal alone; leaves its session name (or '') in #sessionName. */
  #identify(principal: string, serviceArn: string): NamedCaller {
    const identity = identifyCallerFields({ serviceArn, callerPrincipal: principal });
    this.#sessionName[0] = identity.sessionName ?? '';
    return this.#named(identity.principal, identity.kind, identity.account ?? '');
  }

  #isSessionName(principal: string, from: number): boolean {
    if (from >= principal.length) return false;
    for (let i = from; i < principal.length; i++) {
      if (!isIamNameChar(principal.charCodeAt(i))) return false;
    }
    return true;
  }

  /**
   * templatePath of `path` (its query starting at `cut`), segment by segment: templatePath keeps
   * the path's structure as sent and maps each segment on its own, so a segment's template is
   * remembered by its raw text (a segment of digits, most ids, is `{id}` without asking), and
   * the whole template is found in a tree of the templates seen, without building a string.
   * (The segment rules this relies on are held equal to templatePath by the differential test.)
   */
  #templateOf(path: string, cut: number): TemplateNode {
    let node = this.#templates;
    let start = 1;
    for (;;) {
      let end = path.indexOf('/', start);
      if (end === -1 || end > cut) end = cut;
      // Ids are the segments that do not repeat: their templates are known without asking
      // templatePath, without filling the memo with them, without even cutting them out.
      let mapped: string | undefined;
      if (isDigitsAt(path, start, end)) {
        mapped = '{id}';
      } else if (isUuidAt(path, start, end)) {
        mapped = '{uuid}';
      } else {
        const segment = path.slice(start, end);
        mapped = this.#segments.get(segment);
        if (mapped === undefined) {
          mapped = detachString(templatePath(`/${segment}`).slice(1));
          this.#segments.set(detachString(segment), mapped);
        }
      }
      let children = node.children;
      if (children === undefined) {
        children = new Map();
        node.children = children;
      }
      let child = children.get(mapped);
      if (child === undefined) {
        child = { template: `${node.template}/${mapped}`, id: -1, children: undefined };
        children.set(mapped, child);
      }
      node = child;
      if (end >= cut) break;
      start = end + 1;
    }
    if (node.id === -1) node.id = this.#ids.idOf(node.template);
    return node;
  }
}
