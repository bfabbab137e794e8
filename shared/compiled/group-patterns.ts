// The call patterns of the line aggregator's groups (assembly/line-aggregator.ts): each group key
// names its values by the module's string and template-node numbers, so the pattern key is found
// once per distinct number, not once per group. The values are the ones CallPatternBuilder gives a
// line of the group (the same identity, VPC and templating functions); the differential property
// test holds the two equal.
import {
  ANONYMOUS_PRINCIPAL,
  type CallerKind,
  dependsOnService,
  identifyCallerFields,
} from '../identity/index.ts';
import { templatePath } from '../paths/index.ts';
import {
  type CallPattern,
  type CallPatternCounters,
  type CallPatternTable,
  HOUR_MS,
  hourOf,
} from '../patterns/index.ts';

/**
 * A group as the module keeps it (see `add` there): its key as module numbers, its counters as a
 * pattern's (requests by status class in `status`, other4xx derived). `add` reads it and keeps
 * only its two lists, so one object can carry every group.
 */
export interface ModuleGroup
  extends Omit<
    CallPatternCounters,
    'status1xx' | 'status2xx' | 'status3xx' | 'status4xx' | 'status5xx' | 'other4xx'
  > {
  /** Hours since the epoch of its start times. */
  hour: number;
  /** Module string numbers, ABSENT for a value the line did not have. */
  network: number;
  service: number;
  /** (string << 1) | 1 for an assumed-role session's role, string << 1 for a principal. */
  caller: number;
  subjectCN: number;
  method: number;
  /** Template-node number of the path. */
  template: number;
  vpcId: number;
  /** Only where the caller is unsigned or the VPC id missing. */
  vpcArn: number;
  /** Requests by status class, 1xx to 5xx. */
  status: number[];
}

export const ABSENT = -1;

/** A caller as a pattern keys it: table ids of its principal, kind and account. */
interface Caller {
  principal: number;
  kind: number;
  kindName: CallerKind;
  account: number;
}

interface VpcOrigin {
  ownerAccount: number;
  id: number;
}

/**
 * A count read from the module's doubles, as the small integer it usually is. V8 keeps a small
 * integer in the object; a field that has held a double keeps every value boxed, 16 bytes more
 * each (measured: about 30 MB more heap for a 1 GB log).
 */
function smallInteger(value: number): number {
  return value <= 0x3fffffff ? value | 0 : value;
}

/** How many strings and template nodes the module numbers between resets. */
export interface ModuleCapacities {
  strings: number;
  templates: number;
}

/** Folds module groups into a CallPatternTable; `stringOf` reads a module string by number. */
export class GroupPatterns {
  readonly #table: CallPatternTable;
  readonly #stringOf: (id: number) => string;
  readonly #key = new Int32Array(11);
  readonly #serviceKind: number;
  readonly #empty: number;
  readonly #anonymous: Caller;
  readonly #noVpc: VpcOrigin;
  readonly #hours = new Map<number, number>();
  // By module number (arrays: the numbers are small and dense), until the module's next reset.
  /** Table id + 1 of a module string, 0 until looked up (a new array is zeros). */
  #ids: Int32Array;
  /** A caller by caller key, or the principal of one that depends on the service (#caller). */
  #callers: (Caller | string | undefined)[];
  readonly #serviceCallers = new Map<number, Caller>();
  #vpcs: (VpcOrigin | undefined)[];
  /** Table id + 1 of a template node's template, 0 until looked up. */
  #templates: Int32Array;
  readonly #capacities: ModuleCapacities;

  constructor(
    table: CallPatternTable,
    stringOf: (id: number) => string,
    capacities: ModuleCapacities,
  ) {
    this.#table = table;
    this.#stringOf = stringOf;
    this.#capacities = capacities;
    this.#ids = new Int32Array(capacities.strings);
    this.#callers = [];
    this.#vpcs = [];
    this.#templates = new Int32Array(capacities.templates);
    const ids = table.ids;
    this.#serviceKind = ids.idOf('service');
    this.#empty = ids.idOf('');
    this.#anonymous = {
      principal: ids.idOf(ANONYMOUS_PRINCIPAL),
      kind: ids.idOf('anonymous'),
      kindName: 'anonymous',
      account: this.#empty,
    };
    this.#noVpc = { ownerAccount: this.#empty, id: this.#empty };
  }

  add(group: ModuleGroup): void {
    const key = this.#key;
    const ids = this.#table.ids;
    key[0] = this.#hour(group.hour);
    key[1] = this.#serviceKind;
    key[2] = this.#id(group.network);
    key[3] = this.#id(group.service);
    const vpc = group.vpcArn === ABSENT ? this.#noVpc : this.#vpc(group.vpcArn);
    const caller =
      group.caller === ABSENT ? this.#anonymous : this.#caller(group, key[3] as number);
    key[4] = caller.principal;
    key[5] = caller.kind;
    // An unsigned caller has no account of its own: identifyCaller takes the VPC owner's.
    key[6] = group.caller === ABSENT ? vpc.ownerAccount : caller.account;
    key[7] = this.#id(group.subjectCN);
    key[8] = this.#id(group.method);
    key[9] = this.#template(group);
    key[10] = group.vpcId === ABSENT ? vpc.id : this.#id(group.vpcId);
    const status = group.status;
    const status4xx = status[3] as number;
    const pattern: CallPattern = {
      hour: ids.valueOf(key[0]),
      recordKind: 'service',
      serviceNetworkArn: ids.valueOf(key[2]),
      serviceArn: ids.valueOf(key[3]),
      callerPrincipal: ids.valueOf(key[4]),
      callerKind: caller.kindName,
      callerAccount: ids.valueOf(key[6]),
      callerX509SubjectCN: ids.valueOf(key[7]),
      requestMethod: ids.valueOf(key[8]),
      pathTemplate: ids.valueOf(key[9]),
      sourceVpcId: ids.valueOf(key[10]),
      requests: smallInteger(group.requests),
      status1xx: smallInteger(status[0] as number),
      status2xx: smallInteger(status[1] as number),
      status3xx: smallInteger(status[2] as number),
      status4xx: smallInteger(status4xx),
      status5xx: smallInteger(status[4] as number),
      authDenied: smallInteger(group.authDenied),
      other4xx: smallInteger(status4xx - group.authDenied),
      bytesReceived: smallInteger(group.bytesReceived),
      bytesSent: smallInteger(group.bytesSent),
      durationSumMs: smallInteger(group.durationSumMs),
      durationMaxMs: smallInteger(group.durationMaxMs),
      firstSeen: group.firstSeen,
      lastSeen: group.lastSeen,
      examplePaths: group.examplePaths,
      sessionNames: group.sessionNames,
    };
    this.#table.addKeyed(key, pattern, true);
  }

  /** Forgets the module's numbers: call it when the module resets. */
  clear(): void {
    this.#ids = new Int32Array(this.#capacities.strings);
    this.#callers = [];
    this.#serviceCallers.clear();
    this.#vpcs = [];
    this.#templates = new Int32Array(this.#capacities.templates);
  }

  #hour(hours: number): number {
    let id = this.#hours.get(hours);
    if (id === undefined) {
      id = this.#table.ids.idOf(hourOf(hours * HOUR_MS));
      this.#hours.set(hours, id);
    }
    return id;
  }

  /** The table id of a module string, or of '' for ABSENT. */
  #id(string: number): number {
    if (string === ABSENT) return this.#empty;
    const known = this.#ids[string] as number;
    if (known !== 0) return known - 1;
    const id = this.#table.ids.idOf(this.#stringOf(string));
    this.#ids[string] = id + 1;
    return id;
  }

  /**
   * The caller of a signed group. A role's sessions are one caller (the module asked
   * CallPatternBuilder's question); a bare account id is named in the partition of the service
   * called, so it is looked up with the service.
   */
  #caller(group: ModuleGroup, serviceId: number): Caller {
    let known = this.#callers[group.caller];
    if (known === undefined) {
      const name = this.#stringOf(group.caller >> 1);
      const principal = (group.caller & 1) === 1 ? `${name}${group.sessionNames[0] ?? ''}` : name;
      known = dependsOnService(principal) ? principal : this.#identify(principal, serviceId);
      this.#callers[group.caller] = known;
    }
    if (typeof known !== 'string') return known;
    const memoKey = group.caller * 65_536 + serviceId;
    let caller = this.#serviceCallers.get(memoKey);
    if (caller === undefined) {
      caller = this.#identify(known, serviceId);
      this.#serviceCallers.set(memoKey, caller);
    }
    return caller;
  }

  #identify(principal: string, serviceId: number): Caller {
    const ids = this.#table.ids;
    const identity = identifyCallerFields({
      serviceArn: ids.valueOf(serviceId),
      callerPrincipal: principal,
    });
    return {
      principal: ids.idOf(identity.principal),
      kind: ids.idOf(identity.kind),
      kindName: identity.kind,
      account: ids.idOf(identity.account ?? ''),
    };
  }

  #vpc(vpcArn: number): VpcOrigin {
    let vpc = this.#vpcs[vpcArn];
    if (vpc === undefined) {
      const identity = identifyCallerFields({
        serviceArn: '',
        sourceVpcArn: this.#stringOf(vpcArn),
      });
      const ids = this.#table.ids;
      vpc = {
        ownerAccount: ids.idOf(identity.account ?? ''),
        id: ids.idOf(identity.sourceVpcId ?? ''),
      };
      this.#vpcs[vpcArn] = vpc;
    }
    return vpc;
  }

  /** Every path of a template node has the same template: the first example's. */
  #template(group: ModuleGroup): number {
    const known = this.#templates[group.template] as number;
    if (known !== 0) return known - 1;
    const id = this.#table.ids.idOf(templatePath(group.examplePaths[0] ?? '/'));
    this.#templates[group.template] = id + 1;
    return id;
  }
}
