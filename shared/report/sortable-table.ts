// Tables a reader can sort by clicking a header, and the one small script that sorts them.
// The script only reorders existing rows: it never builds HTML, so log strings stay text.

export interface Column<Row> {
  /** Header text (trusted: written by us, not from the logs). */
  header: string;
  /** Cell content as HTML: every log string in it must already be escaped. */
  cell: (row: Row) => string;
  /** A numeric column sorts by this value (descending first) and is right-aligned. */
  value?: (row: Row) => number;
  /** Extra class on the cell, e.g. to colour it. */
  className?: (row: Row) => string;
}

export function sortableTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  caption: string,
): string {
  const head = columns
    .map(
      (column) =>
        `<th${column.value === undefined ? '' : ' class="n"'}><button type="button">${column.header}</button></th>`,
    )
    .join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${columns
          .map((column) => {
            const classes = [
              column.value === undefined ? '' : 'n',
              column.className?.(row) ?? '',
            ].filter((x) => x !== '');
            const classAttribute = classes.length === 0 ? '' : ` class="${classes.join(' ')}"`;
            const value = column.value === undefined ? '' : ` data-v="${column.value(row)}"`;
            return `<td${classAttribute}${value}>${column.cell(row)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  return `<div class="scroll"><table class="sortable"><caption>${caption}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>`;
}

/**
 * Sorts `table.sortable` by the clicked header: numbers (`data-v`) descending first, text
 * ascending first, a second click reverses. Equal keys keep their order (a stable sort).
 */
export const SORT_SCRIPT = `'use strict';
for (const table of document.querySelectorAll('table.sortable')) {
  const body = table.tBodies[0];
  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach((th, column) => {
    const numeric = th.classList.contains('n');
    th.querySelector('button').addEventListener('click', () => {
      const current = th.getAttribute('aria-sort');
      const next = current === 'ascending' ? 'descending' : current === 'descending' ? 'ascending' : numeric ? 'descending' : 'ascending';
      for (const other of headers) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', next);
      const sign = next === 'ascending' ? 1 : -1;
      const key = (row) => numeric ? Number(row.cells[column].dataset.v) : row.cells[column].textContent;
      const rows = Array.from(body.rows);
      rows.sort((a, b) => { const x = key(a); const y = key(b); return x < y ? -sign : x > y ? sign : 0; });
      body.append(...rows);
    });
  });
}
`;
