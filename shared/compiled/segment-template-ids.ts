// Numbers for the templates of path segments, as the line aggregator module asks for them: the
// module builds a path's template node from the numbers of its segments' templates, so two
// segments with one template must get one number (while both are remembered).
import { templatePath } from '../paths/index.ts';

/** Template numbers the module gives digits and UUID segments itself (ID_TEMPLATE, UUID_TEMPLATE). */
const FIRST_TEMPLATES = ['{id}', '{uuid}'];
/** Segments and templates remembered; past this a memo starts again. */
const MAX_REMEMBERED = 8192;
/**
 * Numbers wrap at this: a number comes back only after 2^30 others, long after the module has
 * forgotten it (it forgets its template nodes every few thousand new segments).
 */
const NUMBER_SPAN = 2 ** 30;

export class SegmentTemplateIds {
  /** Template numbers by template, and by raw segment (the module asks again after a reset). */
  #byTemplate = new Map<string, number>();
  readonly #bySegment = new Map<string, number>();
  #next = 0;

  constructor() {
    this.#seed();
  }

  /** The number of the template of a raw path segment (templatePath's, segment by segment). */
  idOf(segment: string): number {
    let id = this.#bySegment.get(segment);
    if (id === undefined) {
      id = this.#templateId(templatePath(`/${segment}`).slice(1));
      if (this.#bySegment.size >= MAX_REMEMBERED) this.#bySegment.clear();
      this.#bySegment.set(segment, id);
    }
    return id;
  }

  #templateId(template: string): number {
    let id = this.#byTemplate.get(template);
    if (id === undefined) {
      if (this.#byTemplate.size >= MAX_REMEMBERED) {
        // Forgetting a template only splits groups the table merges again: never wrong.
        this.#byTemplate = new Map();
        this.#seed();
      }
      id = FIRST_TEMPLATES.length + (this.#next++ % NUMBER_SPAN);
      this.#byTemplate.set(template, id);
    }
    return id;
  }

  #seed(): void {
    FIRST_TEMPLATES.forEach((template, id) => {
      this.#byTemplate.set(template, id);
    });
  }
}
