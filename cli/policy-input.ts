// Policy files as the policy commands (simulate, diff) take them: read, checked, and a bad file
// turned into a one-line usage error (exit 2) that names the file and the problem.
import { InvalidArgumentError } from 'commander';
import {
  type GoverningPolicy,
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
  if (!/^o-[a-z0-9]{10,32}$/.test(value)) {
    throw new InvalidArgumentError('expected an AWS Organizations id such as o-a1b2c3d4e5');
  }
  return value;
}
