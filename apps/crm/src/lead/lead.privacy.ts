import type { LeadNoteAdded } from '@projectflo/crm/domain';
import type { StreamEvent } from '@projectflo/platform/core';

/*
 * Private notes are their author's only, in every query and history: GetLead reads the notes the
 * caller may see (`visibleNotes`), GetLeadHistory shows another user's private note as the fact
 * that one was added (who, when), without its body or mentions (`historyData`). The caller is the
 * verified actor of the call (the token's user), never a header.
 */

/** The lead_notes filter of the notes `actorId` may read: every shared note and their own private ones. */
export function visibleNotes(actorId: string) {
  return { $or: [{ private: false }, { authorId: actorId }] };
}

/** What GetLeadHistory shows `actorId` of an event's data: another user's private note loses its body and mentions. */
export function historyData(event: Pick<StreamEvent, 'type' | 'data'>, actorId: string): unknown {
  if (event.type !== 'LeadNoteAdded') return event.data;
  const { body: _body, mentions: _mentions, ...fact } = event.data as LeadNoteAdded['data'];
  return fact.private && fact.addedBy !== actorId ? fact : event.data;
}
