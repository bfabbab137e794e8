// The analysis pipeline shared by the CLI and the functions: aggregate, summarize, suggest.
export {
  type AggregateFilesOptions,
  aggregateLogFiles,
  PARALLEL_MIN_BYTES,
} from './aggregate-files.ts';
export { type AggregateResult, aggregateLogs, MAX_KEPT_REJECTIONS } from './aggregate-logs.ts';
export {
  type LogObjectRef,
  type LogObjectSummary,
  summarizeLogObject,
  summaryNameOf,
} from './aggregate-object.ts';
export {
  classifyObjectKey,
  ERRORS_PREFIX,
  evidenceKeyOf,
  LOGS_PREFIX,
  type LogObjectVerdict,
  MANIFEST_KEY,
  POLICIES_PREFIX,
  policyKeyOf,
  REPORT_KEY,
  SUMMARIES_PREFIX,
} from './bucket-layout.ts';
export {
  type OutputFile,
  type SuggestionOptions,
  type Suggestions,
  suggestionFiles,
  summaryFiles,
} from './output-files.ts';
export {
  isPolicyFormat,
  isServiceId,
  POLICY_FORMATS,
  type PolicyDownload,
  type PolicyFormat,
  readSuggestedPolicy,
  SuggestedPolicyFormatError,
} from './policy-download.ts';
export { decodeS3EventKey, encodeS3EventKey } from './s3-event-key.ts';
export {
  type SuggestWindowOptions,
  type SuggestWindowResult,
  suggestForWindow,
  summaryDayPrefixes,
  WindowSummaryError,
} from './suggest-window.ts';
export {
  ManifestFormatError,
  type ManifestService,
  parseManifest,
  readManifest,
  type SuggestionsManifest,
} from './suggestions-manifest.ts';
