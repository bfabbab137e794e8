// A Terraform `aws_vpclattice_auth_policy` resource (resource_identifier, policy) with the policy
// as an HCL `jsonencode(...)` expression, laid out as `terraform fmt` would.
import type { RenderablePolicy } from './types.ts';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** An HCL quoted string: JSON escapes, plus `${` and `%{` doubled so they stay literal text. */
function hclString(value: string): string {
  return JSON.stringify(value)
    .replaceAll('${', () => '$${')
    .replaceAll('%{', () => '%%{');
}

function hclKey(key: string): string {
  return IDENTIFIER.test(key) ? key : hclString(key);
}

function isScalar(value: Json): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

function scalar(value: string | number | boolean | null): string {
  return typeof value === 'string' ? hclString(value) : String(value);
}

/** The value at `indent`; multi-line values end at `indent` with their closing bracket. */
function hclValue(value: Json, indent: string): string {
  if (isScalar(value)) return scalar(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.length === 1 && isScalar(value[0] as Json)) return `[${scalar(value[0] as string)}]`;
    return `[\n${value.map((item) => `${inner}${hclValue(item, inner)},\n`).join('')}${indent}]`;
  }
  // An undefined member is not in the JSON text either.
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  if (entries.length === 0) return '{}';
  // terraform fmt aligns the `=` of consecutive one-line attributes.
  const lines: string[] = [];
  let run: [string, string][] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map(([key]) => key.length));
    for (const [key, text] of run) lines.push(`${inner}${key.padEnd(width)} = ${text}`);
    run = [];
  };
  for (const [key, item] of entries) {
    const text = hclValue(item, inner);
    if (text.includes('\n')) {
      flush();
      lines.push(`${inner}${hclKey(key)} = ${text}`);
    } else {
      run.push([hclKey(key), text]);
    }
  }
  flush();
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/**
 * Terraform's jsonencode writes compact JSON (no newline, as PutAuthPolicy requires) with object
 * keys sorted, so the applied text differs in key order from policies/<svc-id>.json, not in meaning.
 */
export function renderTerraform(policy: RenderablePolicy): string {
  const learned = policy.window
    ? `# Learned from access logs ${policy.window.from} to ${policy.window.to}.\n`
    : '';
  return [
    `# lattice-lens: suggested auth policy for ${policy.serviceId}.`,
    `${learned}# Review its evidence (policies/${policy.serviceId}.evidence.json) before applying.`,
    `resource "aws_vpclattice_auth_policy" ${hclString(policy.serviceId)} {`,
    `  resource_identifier = ${hclString(policy.serviceArn)}`,
    `  policy = jsonencode(${hclValue(policy.policy as unknown as Json, '  ')})`,
    '}',
    '',
  ].join('\n');
}
