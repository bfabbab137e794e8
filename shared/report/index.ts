// The HTML report: call graph, 403 timeline, and each suggested policy with its evidence.
export { buildCallGraph, type CallGraph } from './call-graph.ts';
export { type DenialTimeline, denialTimeline, type ServiceDenials } from './denial-timeline.ts';
export { escapeHtml } from './escape-html.ts';
export { type ReportInput, renderReport } from './render-report.ts';
