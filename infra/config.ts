// The deployment's settings, read from CDK context (`-c key=value` or cdk.json) into typed props,
// with a specific error for every value that cannot be right, before any resource is built.
import type { Node } from 'constructs';
import { isOrganizationId } from '../shared/policy/organization-id.ts';

/** What one lattice-lens deployment watches and how long it keeps things. */
export interface LatticeLensConfig {
  /** CloudFormation stack name; also names the Glue database and Athena workgroup. */
  stackName: string;
  /** Service networks (ids `sn-…` or ARNs) whose service access logs are subscribed. */
  serviceNetworks: readonly string[];
  /** Services (ids `svc-…` or ARNs) subscribed on their own, e.g. services shared into no network. */
  services: readonly string[];
  /** EventBridge schedule expression of the suggest function: `rate(…)` or `cron(…)`. */
  schedule: string;
  /** Days of summaries the suggest function reads (WINDOW_DAYS). */
  windowDays: number;
  /** Successful requests below which a grant is flagged as rare (MIN_REQUESTS). */
  minRequests: number;
  /** Distinct UTC days below which a grant is flagged as rare (MIN_DAYS). */
  minDays: number;
  /** An AWS Organizations id every signed grant also requires (ORG_ID); none when absent. */
  orgId?: string;
  /** Where alarm notifications are e-mailed; none when absent. */
  alarmEmail?: string;
  /** Days raw access logs (logs/) and failed records (errors/) are kept. */
  logRetentionDays: number;
  /** Days Parquet summaries (summaries/) are kept; at least windowDays, or suggest reads nothing. */
  summaryRetentionDays: number;
}

/** The context keys, as documented in the README "Deploy" section. */
export const CONTEXT_KEYS = {
  stackName: 'stackName',
  serviceNetworks: 'serviceNetworks',
  services: 'services',
  schedule: 'schedule',
  windowDays: 'windowDays',
  minRequests: 'minRequests',
  minDays: 'minDays',
  orgId: 'orgId',
  alarmEmail: 'alarmEmail',
  logRetentionDays: 'logRetentionDays',
  summaryRetentionDays: 'summaryRetentionDays',
} as const;

export const CONFIG_DEFAULTS = {
  stackName: 'LatticeLens',
  schedule: 'rate(1 day)',
  windowDays: 14,
  minRequests: 5,
  minDays: 1,
  logRetentionDays: 30,
  summaryRetentionDays: 400,
} as const;

/** A context value that cannot configure the stack; the message names the key and what was expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// The shapes CreateAccessLogSubscription's resourceIdentifier accepts (an id of 17 lowercase
// alphanumerics, or the resource's ARN in any partition), so a typo fails here and not mid-deploy.
const SERVICE_NETWORK =
  /^(?:sn-[0-9a-z]{17}|arn:aws[a-z-]*:vpc-lattice:[a-z0-9-]+:\d{12}:servicenetwork\/sn-[0-9a-z]{17})$/;
const SERVICE =
  /^(?:svc-[0-9a-z]{17}|arn:aws[a-z-]*:vpc-lattice:[a-z0-9-]+:\d{12}:service\/svc-[0-9a-z]{17})$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const SCHEDULE = /^(?:rate|cron)\(.+\)$/;
// Deliberately loose: SNS confirms the address; this only catches a swapped or truncated value.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Reads and checks the configuration from the context of `node` (usually the App's). */
export function readConfig(node: Node): LatticeLensConfig {
  const get = (key: string): unknown => node.tryGetContext(key);
  const stackName =
    text(CONTEXT_KEYS.stackName, get(CONTEXT_KEYS.stackName)) ?? CONFIG_DEFAULTS.stackName;
  if (!STACK_NAME.test(stackName)) {
    throw new ConfigError(
      `context ${CONTEXT_KEYS.stackName}: expected a letter, then letters, digits or hyphens (at most 64), got ${JSON.stringify(stackName)}`,
    );
  }
  const serviceNetworks = identifierList(
    CONTEXT_KEYS.serviceNetworks,
    get(CONTEXT_KEYS.serviceNetworks),
    SERVICE_NETWORK,
    'a service network id (sn- and 17 characters) or its ARN',
  );
  const services = identifierList(
    CONTEXT_KEYS.services,
    get(CONTEXT_KEYS.services),
    SERVICE,
    'a service id (svc- and 17 characters) or its ARN',
  );
  const schedule =
    text(CONTEXT_KEYS.schedule, get(CONTEXT_KEYS.schedule)) ?? CONFIG_DEFAULTS.schedule;
  if (!SCHEDULE.test(schedule)) {
    throw new ConfigError(
      `context ${CONTEXT_KEYS.schedule}: expected an EventBridge schedule expression such as "rate(1 day)" or "cron(0 6 * * ? *)", got ${JSON.stringify(schedule)}`,
    );
  }
  const windowDays = positiveInteger(
    CONTEXT_KEYS.windowDays,
    get(CONTEXT_KEYS.windowDays),
    CONFIG_DEFAULTS.windowDays,
  );
  const minRequests = positiveInteger(
    CONTEXT_KEYS.minRequests,
    get(CONTEXT_KEYS.minRequests),
    CONFIG_DEFAULTS.minRequests,
  );
  const minDays = positiveInteger(
    CONTEXT_KEYS.minDays,
    get(CONTEXT_KEYS.minDays),
    CONFIG_DEFAULTS.minDays,
  );
  const orgId = text(CONTEXT_KEYS.orgId, get(CONTEXT_KEYS.orgId));
  if (orgId !== undefined && !isOrganizationId(orgId)) {
    throw new ConfigError(
      `context ${CONTEXT_KEYS.orgId}: expected an AWS Organizations id such as o-a1b2c3d4e5, got ${JSON.stringify(orgId)}`,
    );
  }
  const logRetentionDays = positiveInteger(
    CONTEXT_KEYS.logRetentionDays,
    get(CONTEXT_KEYS.logRetentionDays),
    CONFIG_DEFAULTS.logRetentionDays,
  );
  const summaryRetentionDays = positiveInteger(
    CONTEXT_KEYS.summaryRetentionDays,
    get(CONTEXT_KEYS.summaryRetentionDays),
    CONFIG_DEFAULTS.summaryRetentionDays,
  );
  if (summaryRetentionDays < windowDays) {
    throw new ConfigError(
      `context ${CONTEXT_KEYS.summaryRetentionDays}: ${summaryRetentionDays} days is shorter than ${CONTEXT_KEYS.windowDays} (${windowDays}); suggestions would read summaries that are already gone`,
    );
  }
  const alarmEmail = text(CONTEXT_KEYS.alarmEmail, get(CONTEXT_KEYS.alarmEmail));
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new ConfigError(
      `context ${CONTEXT_KEYS.alarmEmail}: expected an e-mail address, got ${JSON.stringify(alarmEmail)}`,
    );
  }
  return {
    stackName,
    serviceNetworks,
    services,
    schedule,
    windowDays,
    minRequests,
    minDays,
    ...(orgId === undefined ? {} : { orgId }),
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
    logRetentionDays,
    summaryRetentionDays,
  };
}

/** A trimmed string, or undefined when the key is absent or blank. */
function text(key: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ConfigError(`context ${key}: expected a string, got ${JSON.stringify(value)}`);
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * `-c key=a,b` arrives as one string; cdk.json may hold a JSON array. Both become a sorted,
 * de-duplicated list, so the order of the flags never changes the template.
 */
function identifierList(
  key: string,
  value: unknown,
  pattern: RegExp,
  expected: string,
): readonly string[] {
  if (value === undefined || value === null) return [];
  let items: unknown[];
  if (typeof value === 'string') items = value.split(',');
  else if (Array.isArray(value)) items = value;
  else {
    throw new ConfigError(
      `context ${key}: expected a comma-separated list, got ${JSON.stringify(value)}`,
    );
  }
  const identifiers = new Set<string>();
  for (const item of items) {
    if (typeof item !== 'string') {
      throw new ConfigError(`context ${key}: expected strings, got ${JSON.stringify(item)}`);
    }
    const identifier = item.trim();
    if (identifier === '') continue;
    if (!pattern.test(identifier)) {
      throw new ConfigError(`context ${key}: ${JSON.stringify(identifier)} is not ${expected}`);
    }
    identifiers.add(identifier);
  }
  return [...identifiers].sort();
}

function positiveInteger(key: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    throw new ConfigError(
      `context ${key}: expected a whole number of at least 1, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}
