// The request context Lattice evaluates an auth policy against, rebuilt from one access-log
// record: what the log tells, what it tells is absent, and what it cannot tell (unknown).
import { accountOfArn } from '../../identity/index.ts';
import type { ServiceAccessLogRecord } from '../../log/index.ts';
import { decodePath, requestPathOf } from '../../paths/index.ts';
import { INVOKE_ACTION } from '../render-statement.ts';

/** What the request context holds for one condition key. */
export type ContextValue =
  | { state: 'present'; values: readonly string[] }
  | { state: 'absent' }
  | { state: 'unknown'; reason: string };

/** Who made the request, as far as principal matching needs it. */
export interface CallerContext {
  isAnonymous: boolean;
  /** The principal as logged (for a role session, the STS session ARN). */
  arn?: string;
  account?: string;
  partition?: string;
  /** For an assumed-role session: the role's name. The session ARN does not carry the role's path. */
  roleName?: string;
}

export interface RequestContext {
  action: string;
  /** The resource ARN: the service ARN and the request path as sent, query cut. */
  resource: string;
  /** The same with the path percent-decoded, when that is spelled differently. */
  decodedResource?: string;
  caller: CallerContext;
  /** Condition keys by lower-case name. */
  keys: ReadonlyMap<string, ContextValue>;
  /** For keys under a lower-case prefix (`aws:principaltag/`) and not in `keys`: their value. */
  keyPrefixes?: ReadonlyMap<string, ContextValue>;
}

const NOT_LOGGED: ContextValue = {
  state: 'unknown',
  reason: 'not recorded in access logs',
};

/** The value of a condition key (case-insensitive) in a request context. */
export function contextValue(context: RequestContext, key: string): ContextValue {
  const name = key.toLowerCase();
  const exact = context.keys.get(name);
  if (exact !== undefined) return exact;
  let best: { prefix: string; value: ContextValue } | undefined;
  for (const [prefix, value] of context.keyPrefixes ?? []) {
    if (name.startsWith(prefix) && (best === undefined || prefix.length > best.prefix.length)) {
      best = { prefix, value };
    }
  }
  return best?.value ?? NOT_LOGGED;
}

const ACCOUNT_ID = /^\d{12}$/;
const ASSUMED_ROLE = /^assumed-role\/([^/]+)\/[^/]+$/;

function present(...values: string[]): ContextValue {
  return { state: 'present', values };
}

function unknown(reason: string): ContextValue {
  return { state: 'unknown', reason };
}

function callerOf(record: ServiceAccessLogRecord): {
  caller: CallerContext;
  principalType: ContextValue;
  principalArn: ContextValue;
} {
  const logged = record.callerPrincipal;
  if (logged === undefined || logged === '') {
    return {
      caller: { isAnonymous: true },
      principalType: present('Anonymous'),
      principalArn: { state: 'absent' },
    };
  }
  if (ACCOUNT_ID.test(logged)) {
    const partition = record.serviceArn.split(':')[1] ?? 'aws';
    const arn = `arn:${partition}:iam::${logged}:root`;
    return {
      caller: { isAnonymous: false, arn, account: logged, partition },
      principalType: present('Account'),
      principalArn: present(arn),
    };
  }
  const [prefix, partition, service, , account, ...rest] = logged.split(':');
  const resource = rest.join(':');
  const caller: CallerContext = { isAnonymous: false, arn: logged };
  if (prefix !== 'arn' || partition === undefined || account === undefined) {
    return {
      caller,
      principalType: unknown(`the caller ${logged} is not an ARN`),
      principalArn: present(logged),
    };
  }
  caller.partition = partition;
  const callerAccount = accountOfArn(logged);
  if (callerAccount !== undefined) caller.account = callerAccount;
  const session = service === 'sts' ? ASSUMED_ROLE.exec(resource) : null;
  if (session !== null) {
    caller.roleName = session[1] ?? '';
    // aws:PrincipalArn of a role session is the role's ARN. Its path is not in the session ARN;
    // the path-less ARN is used, and a policy naming the role under a path is judged unknown.
    return {
      caller,
      principalType: present('AssumedRole'),
      principalArn: present(`arn:${partition}:iam::${account}:role/${caller.roleName}`),
    };
  }
  if (service === 'sts' && resource.startsWith('federated-user/')) {
    return { caller, principalType: present('FederatedUser'), principalArn: present(logged) };
  }
  if (service === 'iam' && resource.startsWith('user/')) {
    return { caller, principalType: present('User'), principalArn: present(logged) };
  }
  if (service === 'iam' && resource === 'root') {
    return { caller, principalType: present('Account'), principalArn: present(logged) };
  }
  return {
    caller,
    principalType: unknown(`the principal type of ${logged} is not known`),
    principalArn: present(logged),
  };
}

/** Query-string parameters by lower-case key; a value whose decoded spelling differs is unknown. */
function queryValues(rawPath: string): Map<string, ContextValue> {
  const keys = new Map<string, ContextValue>();
  const mark = rawPath.indexOf('?');
  if (mark === -1) return keys;
  const hash = rawPath.indexOf('#', mark);
  const query = rawPath.slice(mark + 1, hash === -1 ? undefined : hash);
  const valuesByKey = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const key = decodePath(equals === -1 ? pair : pair.slice(0, equals)).toLowerCase();
    const value = equals === -1 ? '' : pair.slice(equals + 1);
    valuesByKey.set(key, [...(valuesByKey.get(key) ?? []), value]);
  }
  for (const [key, values] of valuesByKey) {
    const decoded = values.map((v) => decodePath(v.replaceAll('+', ' ')));
    const isAmbiguous = decoded.some((v, i) => v !== values[i]);
    // Whether Lattice compares query values decoded is not documented: when the two spellings
    // differ, the value is unknown rather than guessed.
    keys.set(
      `vpc-lattice-svcs:requestquerystring/${key}`,
      isAmbiguous
        ? unknown(
            `query parameter ${key} is percent-encoded; whether Lattice decodes it is not documented`,
          )
        : present(...values),
    );
  }
  return keys;
}

function tagsOf(tags: unknown): Map<string, ContextValue> | undefined {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return undefined;
  const keys = new Map<string, ContextValue>();
  for (const [tag, value] of Object.entries(tags)) {
    if (typeof value === 'string')
      keys.set(`aws:principaltag/${tag.toLowerCase()}`, present(value));
  }
  return keys;
}

/**
 * The request context of one logged request. Sources, per aws-contracts.md §1 and §4:
 * - resource: `serviceArn` + the request path as sent without its query (and, separately, that
 *   path percent-decoded: whether Lattice decodes before matching is not documented);
 * - vpc-lattice-svcs:RequestMethod, ServiceArn, ServiceNetworkArn from the fields of those names;
 *   SourceVpc from `sourceVpcId` (or `sourceVpcArn`); SourceVpcOwnerAccount from `sourceVpcArn`;
 * - vpc-lattice-svcs:Port is unknown: the listener port is not in the log (`targetIpPort` is
 *   the target's port, not the listener's);
 * - vpc-lattice-svcs:RequestQueryString/<key> from the logged path's query string (which the log
 *   carries, so a key not in it is absent); RequestHeader/<name> is unknown (headers are not logged);
 * - aws:PrincipalType (Anonymous, AssumedRole, User, Account, FederatedUser), aws:PrincipalArn
 *   (the role ARN for a role session), aws:PrincipalAccount from `callerPrincipal`;
 * - aws:PrincipalOrgID from `callerPrincipalOrgID` when logged, otherwise unknown (absent for
 *   unsigned requests, which have no principal);
 * - aws:PrincipalTag/<key> from `callerPrincipalTags` when it is an object, otherwise unknown;
 * - aws:CurrentTime and aws:EpochTime from `startTime`.
 * Any other key is unknown.
 */
export function requestContextOf(record: ServiceAccessLogRecord): RequestContext {
  const path = requestPathOf(record.requestPath);
  const resource = `${record.serviceArn}${path}`;
  const decoded = `${record.serviceArn}${decodePath(path)}`;
  const { caller, principalType, principalArn } = callerOf(record);

  const keys = new Map<string, ContextValue>();
  const set = (key: string, value: ContextValue) => keys.set(key.toLowerCase(), value);
  set('vpc-lattice-svcs:ServiceArn', present(record.serviceArn));
  set(
    'vpc-lattice-svcs:ServiceNetworkArn',
    record.serviceNetworkArn === undefined
      ? unknown('the log line has no serviceNetworkArn')
      : present(record.serviceNetworkArn),
  );
  set('vpc-lattice-svcs:RequestMethod', present(record.requestMethod));
  const vpcArnMatch = /^arn:[^:]+:ec2:[^:]*:(\d{12}):vpc\/(vpc-[0-9a-z]+)$/.exec(
    record.sourceVpcArn ?? '',
  );
  const sourceVpc = record.sourceVpcId ?? vpcArnMatch?.[2];
  set(
    'vpc-lattice-svcs:SourceVpc',
    sourceVpc === undefined ? unknown('the log line has no source VPC') : present(sourceVpc),
  );
  set(
    'vpc-lattice-svcs:SourceVpcOwnerAccount',
    vpcArnMatch?.[1] === undefined
      ? unknown('the log line has no sourceVpcArn')
      : present(vpcArnMatch[1]),
  );
  set('vpc-lattice-svcs:Port', unknown('the listener port is not recorded in access logs'));
  set('aws:PrincipalType', principalType);
  set('aws:PrincipalArn', principalArn);
  set(
    'aws:PrincipalAccount',
    caller.isAnonymous
      ? { state: 'absent' }
      : caller.account === undefined
        ? unknown(`the account of ${caller.arn} is not known`)
        : present(caller.account),
  );
  set(
    'aws:PrincipalOrgID',
    record.callerPrincipalOrgID !== undefined
      ? present(record.callerPrincipalOrgID)
      : caller.isAnonymous
        ? { state: 'absent' }
        : unknown('the log line has no callerPrincipalOrgID'),
  );
  const startMs = Date.parse(record.startTime);
  set('aws:CurrentTime', present(new Date(startMs).toISOString()));
  set('aws:EpochTime', present(String(Math.floor(startMs / 1000))));
  for (const [key, value] of queryValues(record.requestPath)) keys.set(key, value);

  const tags = caller.isAnonymous ? new Map() : tagsOf(record.callerPrincipalTags);
  for (const [key, value] of tags ?? []) keys.set(key, value);
  const keyPrefixes = new Map<string, ContextValue>([
    ['vpc-lattice-svcs:requestquerystring/', { state: 'absent' }],
    ['vpc-lattice-svcs:requestheader/', unknown('request headers are not recorded in access logs')],
    [
      'aws:principaltag/',
      tags === undefined
        ? unknown('the log line has no callerPrincipalTags object')
        : { state: 'absent' },
    ],
  ]);

  const context: RequestContext = { action: INVOKE_ACTION, resource, caller, keys, keyPrefixes };
  if (decoded !== resource) context.decodedResource = decoded;
  return context;
}
