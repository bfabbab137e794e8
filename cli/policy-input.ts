// Policy files as the policy commands (simulate, diff) take them: read, checked, and a bad file
// turned into a one-line usage error (exit 2) that names the file and the problem.
import { InvalidArgumentError } from 'commander';
import {
  type GenerateOptions,
  type GoverningPolicy,
  isOrganizationId,
  POLICY_FORMATS,
  type PolicyFormat,
  PolicyFormatError,
  type ReadPolicyOptions,
  readPolicies,
} from '../shared/policy/index.ts';
import { UsageError } from './usage-error.ts';

export async function loadPolicies(
  path: string,
  options: ReadPolicyOptions = {},
): Promise<GoverningPolicy[]> {
  try {
    return await readPolicies(path, options);
  } catch (error) {
    if (error instanceof PolicyFormatError) throw new UsageError(error.message);
    throw error;
  }
}

/** A `--service` value: a service (`svc-…`) or service-network (`sn-…`) id. */
export function resourceId(value: string): string {
  if (!/^(svc|sn)-[0-9a-z]+$/.test(value)) {
    throw new InvalidArgumentError('expected a service id (svc-…) or service-network id (sn-…)');
  }
  return value;
}

/** An `--org-id` value: an AWS Organizations id. */
export function organizationId(value: string): string {
  if (!isOrganizationId(value)) {
    throw new InvalidArgumentError('expected an AWS Organizations id such as o-a1b2c3d4e5');
  }
  return value;
}

/** The policy options the commands take (--min-requests, --min-days, --org-id), as given. */
export interface PolicyOptionValues {
  minRequests?: number | undefined;
  minDays?: number | undefined;
  orgId?: string | undefined;
}

/** The options given, for generatePolicies: one left out keeps generatePolicies' default. */
export function generateOptionsOf(values: PolicyOptionValues): GenerateOptions {
  return {
    ...(values.minRequests === undefined ? {} : { minRequests: values.minRequests }),
    ...(values.minDays === undefined ? {} : { minDays: values.minDays }),
    ...(values.orgId === undefined ? {} : { orgId: values.orgId }),
  };
}

/** A `--format` value: comma-separated policy formats, added to those given before. */
export function policyFormats(value: string, previous: PolicyFormat[] = []): PolicyFormat[] {
  const formats = new Set(previous);
  for (const format of value.split(',').map((f) => f.trim())) {
    if (!(POLICY_FORMATS as readonly string[]).includes(format)) {
      throw new InvalidArgumentError(`expected ${POLICY_FORMATS.join(', ')} (comma-separated)`);
    }
    formats.add(format as PolicyFormat);
  }
  return [...formats];
}
