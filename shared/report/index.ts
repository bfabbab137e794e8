// The HTML report.
export { escapeHtml } from './escape-html.ts';
export { type ReportInput, renderReport } from './render-report.ts';
