/**
 * Workflow ids are business keys, so that starting the same automation twice for the same cause
 * hits the same id and Temporal dedupes it. They appear in the Web UI, in logs and in URLs, so
 * they never carry personal data: only ids, slugs and fixed words.
 *
 *   tasks/<tenantId>/lead-status/<leadId>/<statusChangeEventId>
 *   tasks/<tenantId>/event/<eventTypeId>/<externalEventId>
 *   reminders/<tenantId>/task/<taskId>
 */

/** Letters, digits and `.`, `_`, `:`, `-`; the separator `/` is added by {@link workflowId}. */
const PART = /^[A-Za-z0-9._:-]+$/;
const MAX_PART_LENGTH = 128;
/** Temporal accepts longer ids, but a key this long is no longer a readable business key. */
const MAX_ID_LENGTH = 512;

export class InvalidWorkflowIdError extends Error {
  constructor(
    readonly part: string,
    readonly reason: string,
  ) {
    super(`invalid workflow id part ${JSON.stringify(part)}: ${reason}`);
    this.name = 'InvalidWorkflowIdError';
  }
}

export function assertWorkflowIdPart(part: string): void {
  if (part.length === 0) throw new InvalidWorkflowIdError(part, 'empty');
  if (part.length > MAX_PART_LENGTH) throw new InvalidWorkflowIdError(part, `longer than ${MAX_PART_LENGTH}`);
  if (part.includes('@')) throw new InvalidWorkflowIdError(part, 'looks like an email address (personal data)');
  if (!PART.test(part)) {
    throw new InvalidWorkflowIdError(part, 'only letters, digits, ".", "_", ":" and "-" are allowed (no spaces, no "/")');
  }
}

/** Joins validated business-key parts with `/`: `workflowId('tasks', tenantId, 'lead-status', leadId, eventId)`. */
export function workflowId(...parts: readonly (string | number)[]): string {
  if (parts.length === 0) throw new InvalidWorkflowIdError('', 'a workflow id needs at least one part');
  const strings = parts.map(String);
  strings.forEach(assertWorkflowIdPart);
  const id = strings.join('/');
  if (id.length > MAX_ID_LENGTH) throw new InvalidWorkflowIdError(id, `longer than ${MAX_ID_LENGTH}`);
  return id;
}
