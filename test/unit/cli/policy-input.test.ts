// The policy options every command takes (--min-requests, --min-days, --org-id), as passed on to
// generatePolicies, and the checks on their values.
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { generateOptionsOf, organizationId, policyFormats } from '../../../cli/policy-input.ts';

describe('generateOptionsOf', () => {
  it('passes on the options given', () => {
    expect(generateOptionsOf({ minRequests: 3, minDays: 2, orgId: 'o-a1b2c3d4e5' })).toEqual({
      minRequests: 3,
      minDays: 2,
      orgId: 'o-a1b2c3d4e5',
    });
  });

  it('leaves out an option not given, so generatePolicies keeps its default', () => {
    const options = generateOptionsOf({ minRequests: undefined, minDays: 2 });
    expect(options).toEqual({ minDays: 2 });
    expect(Object.keys(options)).toEqual(['minDays']);
  });
});

describe('option values', () => {
  it('takes an AWS Organizations id and refuses anything else', () => {
    expect(organizationId('o-a1b2c3d4e5')).toBe('o-a1b2c3d4e5');
    expect(() => organizationId('a1b2c3d4e5')).toThrow(InvalidArgumentError);
  });

  it('adds comma-separated formats to those given before, and refuses an unknown one', () => {
    expect(policyFormats('terraform', ['json'])).toEqual(['json', 'terraform']);
    expect(() => policyFormats('json,yaml')).toThrow(InvalidArgumentError);
  });
});
