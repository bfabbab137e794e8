// Path templating: raw request paths to templates (`/orders/{id}`), templates learned from
// traffic (`/users/{var}/orders`), and templates to auth-policy resource patterns.

export type { LearnPathTemplatesOptions, ObservedPathTemplate } from './learn-path-templates.ts';
export { learnPathTemplates } from './learn-path-templates.ts';
export { decodePath } from './percent-encoding.ts';
export { pathTemplateToResourcePattern } from './resource-pattern.ts';
export type { PathPlaceholder } from './segment-kinds.ts';
export { isPlaceholderSegment, PATH_PLACEHOLDERS } from './segment-kinds.ts';
export { requestPathOf, templatePath } from './template-path.ts';
