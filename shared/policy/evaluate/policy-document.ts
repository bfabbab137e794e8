// Reads an auth-policy document (IAM policy grammar, aws-contracts.md §4) from its JSON text into
// the checked form the evaluator uses. Untrusted text is validated here, once, with errors that
// name the file and the element at fault.
import type { AuthPolicy, PolicyStatement } from '../types.ts';
import { parseIpRange } from './ip-address.ts';
import { type ConditionOperator, parseConditionOperator } from './operators.ts';

/** A policy file that is not a valid auth policy: the message names the file and the problem. */
export class PolicyFormatError extends Error {
  override name = 'PolicyFormatError';

  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`policy ${source}: ${problem}`);
  }
}

export type PrincipalEntry =
  /** `"Principal": "*"`: every caller, signed or not. */
  | { kind: 'everyone'; written: '*' }
  | { kind: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser'; value: string; written: string };

export interface ConditionClause {
  operator: ConditionOperator;
  /** The condition key as written (keys are compared case-insensitively). */
  key: string;
  /** The policy values, as strings; several are OR-ed (NOR for a negated operator). */
  values: string[];
}

export interface CheckedStatement {
  /** The Sid, or `Statement[i]` for a statement without one: how outputs name it. */
  label: string;
  index: number;
  effect: 'Allow' | 'Deny';
  /** Principal, or NotPrincipal when `isNegated`. */
  principals: { isNegated: boolean; entries: PrincipalEntry[] };
  actions: { isNegated: boolean; patterns: string[] };
  resources: { isNegated: boolean; patterns: string[] };
  /** Every (operator, key) pair of the Condition block: all must hold. */
  conditions: ConditionClause[];
  /** The statement as written, for outputs. */
  written: PolicyStatement;
}

export interface PolicyDocument {
  /** Where it came from (a file path, or a name such as `generated`). */
  source: string;
  statements: CheckedStatement[];
  /** The document as written. */
  written: AuthPolicy;
}

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_KINDS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Parses and checks a policy document; throws PolicyFormatError naming `source` and the problem. */
export function parseAuthPolicy(text: string, source: string): PolicyDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PolicyFormatError(source, `not valid JSON (${reason})`);
  }
  return checkAuthPolicy(value, source);
}

/** Checks an already-parsed policy document (see parseAuthPolicy). */
export function checkAuthPolicy(value: unknown, source: string): PolicyDocument {
  const fail = (problem: string): never => {
    throw new PolicyFormatError(source, problem);
  };
  if (!isObject(value)) return fail(`expected a policy object, got ${kindOf(value)}`);
  for (const key of Object.keys(value)) {
    if (!TOP_KEYS.has(key)) fail(`unknown top-level element ${JSON.stringify(key)}`);
  }
  if (value.Version !== undefined && !VERSIONS.has(value.Version as string)) {
    fail(`Version must be "2012-10-17", got ${kindOf(value.Version)}`);
  }
  const raw = value.Statement;
  if (raw === undefined) fail('Statement is missing');
  const list = Array.isArray(raw) ? raw : [raw];
  const statements = list.map((statement, index) => checkStatement(statement, index, fail));
  const labels = new Set<string>();
  for (const statement of statements) {
    if (statement.label === `Statement[${statement.index}]`) continue;
    if (labels.has(statement.label)) fail(`Sid ${JSON.stringify(statement.label)} is used twice`);
    labels.add(statement.label);
  }
  return { source, statements, written: value as unknown as AuthPolicy };
}

function checkStatement(
  value: unknown,
  index: number,
  fail: (problem: string) => never,
): CheckedStatement {
  const at = `Statement[${index}]`;
  if (!isObject(value)) return fail(`${at}: expected an object, got ${kindOf(value)}`);
  for (const key of Object.keys(value)) {
    if (!STATEMENT_KEYS.has(key)) fail(`${at}: unknown element ${JSON.stringify(key)}`);
  }
  if (
    value.Sid !== undefined &&
    (typeof value.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(value.Sid))
  ) {
    fail(`${at}.Sid must be letters and digits, got ${kindOf(value.Sid)}`);
  }
  if (value.Effect !== 'Allow' && value.Effect !== 'Deny') {
    fail(`${at}.Effect must be "Allow" or "Deny", got ${kindOf(value.Effect)}`);
  }
  const pick = (name: string): { isNegated: boolean; value: unknown } => {
    const plain = value[name];
    const negated = value[`Not${name}`];
    if (plain !== undefined && negated !== undefined) {
      fail(`${at}: has both ${name} and Not${name}`);
    }
    if (plain === undefined && negated === undefined) {
      fail(`${at}: needs ${name} or Not${name}`);
    }
    return plain === undefined
      ? { isNegated: true, value: negated }
      : { isNegated: false, value: plain };
  };
  const principal = pick('Principal');
  const action = pick('Action');
  const resource = pick('Resource');
  const sid = typeof value.Sid === 'string' && value.Sid !== '' ? value.Sid : undefined;
  return {
    label: sid ?? at,
    index,
    effect: value.Effect as 'Allow' | 'Deny',
    principals: {
      isNegated: principal.isNegated,
      entries: checkPrincipal(
        principal.value,
        `${at}.${principal.isNegated ? 'NotPrincipal' : 'Principal'}`,
        fail,
      ),
    },
    actions: {
      isNegated: action.isNegated,
      patterns: stringList(
        action.value,
        `${at}.${action.isNegated ? 'NotAction' : 'Action'}`,
        fail,
      ),
    },
    resources: {
      isNegated: resource.isNegated,
      patterns: stringList(
        resource.value,
        `${at}.${resource.isNegated ? 'NotResource' : 'Resource'}`,
        fail,
      ),
    },
    conditions:
      value.Condition === undefined ? [] : checkCondition(value.Condition, `${at}.Condition`, fail),
    written: value as unknown as PolicyStatement,
  };
}

function stringList(value: unknown, at: string, fail: (problem: string) => never): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) fail(`${at} is an empty list`);
  for (const item of list) {
    if (typeof item !== 'string' || item === '') {
      fail(`${at} must be a string or a list of strings, got ${kindOf(item)}`);
    }
  }
  return list as string[];
}

function checkPrincipal(
  value: unknown,
  at: string,
  fail: (problem: string) => never,
): PrincipalEntry[] {
  if (value === '*') return [{ kind: 'everyone', written: '*' }];
  if (!isObject(value)) {
    return fail(`${at} must be "*" or an object such as {"AWS": ARN}, got ${kindOf(value)}`);
  }
  const entries: PrincipalEntry[] = [];
  for (const [kind, listed] of Object.entries(value)) {
    if (!PRINCIPAL_KINDS.has(kind)) fail(`${at}: unknown principal type ${JSON.stringify(kind)}`);
    for (const item of stringList(listed, `${at}.${kind}`, fail)) {
      entries.push({ kind: kind as 'AWS', value: item, written: item });
    }
  }
  if (entries.length === 0) fail(`${at} names no principal`);
  return entries;
}

function checkCondition(
  value: unknown,
  at: string,
  fail: (problem: string) => never,
): ConditionClause[] {
  if (!isObject(value)) return fail(`${at} must be an object, got ${kindOf(value)}`);
  const clauses: ConditionClause[] = [];
  for (const [written, keys] of Object.entries(value)) {
    const operator = parseConditionOperator(written);
    if (typeof operator === 'string') return fail(`${at}: ${operator}`);
    if (!isObject(keys)) {
      fail(`${at}.${written} must be an object of condition keys, got ${kindOf(keys)}`);
    }
    for (const [key, raw] of Object.entries(keys as Record<string, unknown>)) {
      const where = `${at}.${written}[${JSON.stringify(key)}]`;
      const list = Array.isArray(raw) ? raw : [raw];
      if (list.length === 0) fail(`${where} is an empty list`);
      const values = list.map((item) => {
        if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
          return fail(`${where}: values must be strings, numbers or booleans, got ${kindOf(item)}`);
        }
        return String(item);
      });
      for (const item of values) {
        const problem = valueProblem(operator, item);
        if (problem !== undefined) fail(`${where}: ${problem}`);
      }
      clauses.push({ operator, key, values });
    }
  }
  return clauses;
}

function valueProblem(operator: ConditionOperator, value: string): string | undefined {
  switch (operator.base.family) {
    case 'Numeric':
      return value.trim() === '' || !Number.isFinite(Number(value))
        ? `${JSON.stringify(value)} is not a number`
        : undefined;
    case 'Date':
      return parseDate(value) === undefined
        ? `${JSON.stringify(value)} is not a date (ISO 8601 or epoch seconds)`
        : undefined;
    case 'Bool':
    case 'Null':
      return /^(true|false)$/i.test(value)
        ? undefined
        : `${JSON.stringify(value)} is not "true" or "false"`;
    case 'Ip':
      return parseIpRange(value) === undefined
        ? `${JSON.stringify(value)} is not an IP address or CIDR block`
        : undefined;
    default:
      return undefined;
  }
}

/** Epoch milliseconds of an ISO 8601 date or of epoch seconds; undefined if neither. */
export function parseDate(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!ISO_DATE.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
