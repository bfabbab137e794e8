// Number formatting for the report, fixed so the same input renders the same bytes everywhere.

/** A count with thousands separators: 1,234. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** An SVG coordinate or length, to a tenth of a pixel, without a trailing `.0`. */
export function coordinate(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** A share as a whole percentage, `<1%` for small non-zero shares. */
export function percent(part: number, whole: number): string {
  if (whole === 0 || part === 0) return '0%';
  const share = (100 * part) / whole;
  return share < 1 ? '<1%' : `${Math.round(share)}%`;
}
