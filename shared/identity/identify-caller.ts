// Turns the caller fields of an access-log record into the principal an auth policy can name.
// Lattice fields per aws-contracts.md §1 (callerPrincipal, sourceVpcArn); principals per §4.

import type {
  AccessLogRecord,
  ResourceAccessLogRecord,
  ServiceAccessLogRecord,
} from '../log/types.ts';
import { accountOfArn, isAccountId, isPartition, parseArn } from './arn.ts';
import type { CallerIdentity, CallerKind, X509Identity } from './types.ts';

export const ANONYMOUS_PRINCIPAL = 'anonymous';

// IAM name characters for roles, users and STS session names.
const IAM_NAME = String.raw`[\w+=,.@-]+`;
// A path segment is any printable ASCII but `/` (IAM paths: `/` or `/…/`).
const IAM_PATH = String.raw`(?:[\x21-\x2e\x30-\x7e]+/)*`;
const ASSUMED_ROLE = new RegExp(`^assumed-role/(${IAM_NAME})/(${IAM_NAME})$`);
const ROLE = new RegExp(`^role/${IAM_PATH}${IAM_NAME}$`);
const USER = new RegExp(`^user/${IAM_PATH}${IAM_NAME}$`);
const VPC_RESOURCE = /^vpc\/(vpc-[0-9a-z]+)$/;

interface NamedPrincipal {
  kind: Exclude<CallerKind, 'anonymous'>;
  principal: string;
  account?: string;
  sessionName?: string;
}

export function identifyCaller(record: AccessLogRecord): CallerIdentity {
  const vpc = sourceVpcOf(record);
  const callerPrincipal = record.kind === 'service' ? record.callerPrincipal : undefined;
  const identity: CallerIdentity =
    callerPrincipal === undefined || callerPrincipal === ''
      ? { kind: 'anonymous', principal: ANONYMOUS_PRINCIPAL }
      : { ...namePrincipal(callerPrincipal, partitionOf(record)) };
  // An unsigned caller has no account of its own: the owner of its VPC is the best we know.
  // With a shared VPC that owner can differ from the account the workload runs in.
  if (identity.kind === 'anonymous' && vpc.ownerAccount !== undefined) {
    identity.account = vpc.ownerAccount;
  }
  if (vpc.id !== undefined) identity.sourceVpcId = vpc.id;
  const x509 = record.kind === 'service' ? x509Of(record) : undefined;
  if (x509 !== undefined) identity.x509 = x509;
  return identity;
}

/**
 * The id a caller is listed under (evidence, review list, simulate, diff, report): the principal a
 * policy names, or `anonymous@<vpc-id>`, since unsigned callers are told apart by their VPC only.
 */
export function callerId(
  kind: CallerKind,
  principal: string,
  sourceVpcId: string | undefined,
): string {
  return kind === 'anonymous' ? `anonymous@${sourceVpcId ?? ''}` : principal;
}

/** The caller fields identifyCaller reads of a request without an X.509 identity. */
export interface CallerFields {
  serviceArn: string;
  callerPrincipal?: string | undefined;
  sourceVpcArn?: string | undefined;
}

/**
 * identifyCaller of a request known only by its caller fields, for the hot loops (aggregation,
 * the transform's fast path) that identify each distinct principal or VPC once, not every record.
 */
export function identifyCallerFields(fields: CallerFields): CallerIdentity {
  const record: ServiceAccessLogRecord = {
    kind: 'service',
    startTime: '',
    requestMethod: '',
    requestPath: '/',
    responseCode: 200,
    serviceArn: fields.serviceArn,
    extra: {},
  };
  if (fields.callerPrincipal !== undefined) record.callerPrincipal = fields.callerPrincipal;
  if (fields.sourceVpcArn !== undefined) record.sourceVpcArn = fields.sourceVpcArn;
  return identifyCaller(record);
}

/**
 * Whether identifyCaller names `principal` differently depending on the service called: a bare
 * account id takes the partition of the service's ARN. A memo of identities by principal must key
 * such a principal with the service too.
 */
export function dependsOnService(principal: string): boolean {
  return isAccountId(principal);
}

/**
 * True when the caller's account is known and differs from the service owner's account.
 * `serviceAccount` is a 12-digit account id; an ARN is accepted and its account taken.
 * An unknown account on either side (a service principal, an odd string) is not cross-account.
 */
export function isCrossAccount(identity: CallerIdentity, serviceAccount: string): boolean {
  const owner = isAccountId(serviceAccount) ? serviceAccount : accountOfArn(serviceAccount);
  return identity.account !== undefined && owner !== undefined && identity.account !== owner;
}

function namePrincipal(principal: string, defaultPartition: string): NamedPrincipal {
  // A bare account id carries no partition: take the one of the service that was called.
  if (isAccountId(principal)) {
    return { kind: 'root', principal: rootArn(defaultPartition, principal), account: principal };
  }
  const arn = parseArn(principal);
  if (arn === undefined) return { kind: 'principal', principal };
  const { partition, service, region, account, resource } = arn;
  const isGlobalIdentityArn = isPartition(partition) && region === '' && isAccountId(account);
  if (isGlobalIdentityArn && service === 'sts') {
    const session = ASSUMED_ROLE.exec(resource);
    if (session !== null) {
      // The session ARN drops the role's path: a role created under /service-role/ is named
      // here without it, and a policy naming the path-less role ARN will not match it.
      // Nothing in the log recovers the path; it is a known limitation to surface to users.
      const [, role = '', sessionName = ''] = session;
      return {
        kind: 'role',
        principal: `arn:${partition}:iam::${account}:role/${role}`,
        account,
        sessionName,
      };
    }
  }
  if (isGlobalIdentityArn && service === 'iam') {
    if (resource === 'root') return { kind: 'root', principal, account };
    if (ROLE.test(resource)) return { kind: 'role', principal, account };
    if (USER.test(resource)) return { kind: 'user', principal, account };
  }
  const otherAccount = accountOfArn(principal);
  return otherAccount === undefined
    ? { kind: 'principal', principal }
    : { kind: 'principal', principal, account: otherAccount };
}

function rootArn(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:root`;
}

function partitionOf(record: AccessLogRecord): string {
  const arn = record.kind === 'service' ? record.serviceArn : record.resourceConfigurationArn;
  const partition = parseArn(arn)?.partition;
  return partition !== undefined && isPartition(partition) ? partition : 'aws';
}

function sourceVpcOf(record: ServiceAccessLogRecord | ResourceAccessLogRecord): {
  id?: string;
  ownerAccount?: string;
} {
  const vpcArn = record.sourceVpcArn === undefined ? undefined : parseArn(record.sourceVpcArn);
  const idFromArn = vpcArn?.service === 'ec2' ? VPC_RESOURCE.exec(vpcArn.resource)?.[1] : undefined;
  const ownerAccount =
    vpcArn?.service === 'ec2' && isAccountId(vpcArn.account) ? vpcArn.account : undefined;
  const id = record.sourceVpcId ?? idFromArn;
  return {
    ...(id === undefined ? {} : { id }),
    ...(ownerAccount === undefined ? {} : { ownerAccount }),
  };
}

function x509Of(record: ServiceAccessLogRecord): X509Identity | undefined {
  const x509: X509Identity = {};
  if (record.callerX509SubjectCN !== undefined) x509.subjectCN = record.callerX509SubjectCN;
  if (record.callerX509IssuerOU !== undefined) x509.issuerOU = record.callerX509IssuerOU;
  if (record.callerX509SANNameCN !== undefined) x509.sanNameCN = record.callerX509SANNameCN;
  if (record.callerX509SANDNS !== undefined) x509.sanDNS = record.callerX509SANDNS;
  if (record.callerX509SANURI !== undefined) x509.sanURI = record.callerX509SANURI;
  return Object.keys(x509).length === 0 ? undefined : x509;
}
