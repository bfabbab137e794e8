// Learns the path segments that are values from the traffic itself (`/users/alice/orders`,
// `/users/bob/orders`, … → `/users/{var}/orders`), for what no shape rule recognizes.

import { isPlaceholderSegment } from './segment-kinds.ts';

export interface ObservedPathTemplate {
  template: string;
  requests: number;
}

export interface LearnPathTemplatesOptions {
  /** Distinct literal values needed at a position before it may become `{var}` (default 20). */
  minDistinct?: number;
  /**
   * A value carrying more than this share of its group's requests is a route, not an identifier,
   * and stays literal (default 0.05, i.e. 1 / the default minDistinct).
   */
  maxShare?: number;
}

const VAR = '{var}';

interface Row {
  template: string;
  /** The segments after the leading `/`, a trailing empty one (trailing slash) left out. */
  segments: string[];
  hasTrailingSlash: boolean;
  requests: number;
}

/**
 * Maps every observed template of one service to its generalized form (itself when unchanged).
 *
 * Templates are compared only with templates of the same segment count. Positions are visited
 * left to right; at each, the templates with a literal there are grouped by what precedes it
 * (as generalized so far, so `/users/{var}` gathers every user) and by the shape of what
 * follows (each later segment either "a literal" or its placeholder). In a group, the values
 * carrying more than `maxShare` of the group's requests are routes and stay literal; if at least
 * `minDistinct` distinct rare values remain, those become `{var}`: many values, each rare, is
 * what an identifier looks like (`/inventory/sku-10007`, …), while a few routes (`/api/v1`,
 * `/api/v2`) or a busy sibling route (`/inventory/reservations`) stay.
 * A trailing slash is left out of the comparison and kept in the result, so `/users/alice/`
 * counts among the values of `/users/{var}` and becomes `/users/{var}/`. Empty segments (`//`)
 * are structure, never values.
 * The result does not depend on input order; repeated templates have their requests summed.
 */
export function learnPathTemplates(
  observed: Iterable<ObservedPathTemplate>,
  options: LearnPathTemplatesOptions = {},
): Map<string, string> {
  const minDistinct = options.minDistinct ?? 20;
  const maxShare = options.maxShare ?? 0.05;
  if (!Number.isInteger(minDistinct) || minDistinct < 2) {
    throw new RangeError(
      `learnPathTemplates: minDistinct must be an integer ≥ 2, got ${minDistinct}`,
    );
  }
  if (!(maxShare > 0 && maxShare <= 1)) {
    throw new RangeError(`learnPathTemplates: maxShare must be in (0, 1], got ${maxShare}`);
  }

  const requestsByTemplate = new Map<string, number>();
  for (const { template, requests } of observed) {
    if (!Number.isFinite(requests) || requests < 0) {
      throw new RangeError(
        `learnPathTemplates: requests of ${JSON.stringify(template)} must be a finite number ≥ 0, got ${requests}`,
      );
    }
    requestsByTemplate.set(template, (requestsByTemplate.get(template) ?? 0) + requests);
  }

  // Sorted, so that sums and groups are built in one order whatever the input order was.
  const templates = [...requestsByTemplate.keys()].sort();
  const rowsBySegmentCount = new Map<number, Row[]>();
  for (const template of templates) {
    const { segments, hasTrailingSlash } = splitTemplate(template);
    const row: Row = {
      template,
      segments,
      hasTrailingSlash,
      requests: requestsByTemplate.get(template) ?? 0,
    };
    const rows = rowsBySegmentCount.get(segments.length);
    if (rows === undefined) rowsBySegmentCount.set(segments.length, [row]);
    else rows.push(row);
  }

  for (const [segmentCount, rows] of rowsBySegmentCount) {
    for (let position = 0; position < segmentCount; position++) {
      generalizePosition(rows, position, minDistinct, maxShare);
    }
  }

  const learned = new Map<string, string>();
  for (const rows of rowsBySegmentCount.values()) {
    for (const row of rows) learned.set(row.template, joinTemplate(row));
  }
  return new Map([...learned].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function generalizePosition(
  rows: Row[],
  position: number,
  minDistinct: number,
  maxShare: number,
): void {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const segment = row.segments[position] ?? '';
    if (isStructure(segment)) continue;
    const prefix = row.segments.slice(0, position);
    // Each later segment is its placeholder, an empty segment, or "some literal".
    const suffixShape = row.segments
      .slice(position + 1)
      .map((later) => (isStructure(later) ? later : LITERAL));
    const key = JSON.stringify([prefix, suffixShape]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }

  for (const group of groups.values()) {
    const requestsByValue = new Map<string, number>();
    let total = 0;
    for (const row of group) {
      const value = row.segments[position] ?? '';
      requestsByValue.set(value, (requestsByValue.get(value) ?? 0) + row.requests);
      total += row.requests;
    }
    const rare = new Set<string>();
    for (const [value, requests] of requestsByValue) {
      if (requests <= maxShare * total) rare.add(value);
    }
    if (rare.size < minDistinct) continue;
    for (const row of group) {
      if (rare.has(row.segments[position] ?? '')) row.segments[position] = VAR;
    }
  }
}

const LITERAL = '\u0001';

/** A placeholder or an empty segment: never a value to generalize. */
function isStructure(segment: string): boolean {
  return segment === '' || isPlaceholderSegment(segment);
}

function splitTemplate(template: string): { segments: string[]; hasTrailingSlash: boolean } {
  const segments = template.split('/');
  if (segments[0] === '') segments.shift();
  const hasTrailingSlash = segments.length > 0 && segments[segments.length - 1] === '';
  if (hasTrailingSlash) segments.pop();
  return { segments, hasTrailingSlash };
}

/** The input itself when nothing was generalized, so odd inputs map to themselves exactly. */
function joinTemplate(row: Row): string {
  if (!row.segments.includes(VAR)) return row.template;
  return `/${row.segments.join('/')}${row.hasTrailingSlash ? '/' : ''}`;
}
