// The analysis pipeline shared by the CLI and the functions: aggregate, summarize, suggest.
export { type AggregateResult, aggregateLogs, MAX_KEPT_REJECTIONS } from './aggregate-logs.ts';
export {
  type OutputFile,
  type Suggestions,
  suggestionFiles,
  summaryFiles,
} from './output-files.ts';
