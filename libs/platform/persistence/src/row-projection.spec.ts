import type { EntityManager, EntitySchema } from '@mikro-orm/postgresql';
import type { RecordedEvent, ViewFold } from '@projectflo/platform/core';
import { rowProjection } from './row-projection';

interface NoteRow {
  noteId: string;
  tenantId: string;
  text: string;
  version: number;
}

const evolveNoteRow: ViewFold<NoteRow> = (row, event) => {
  const data = event.data as { noteId: string; text: string };
  if (event.type === 'NoteWritten') return { noteId: data.noteId, tenantId: event.metadata.tenantId, text: data.text, version: event.streamPosition };
  return row && { ...row, text: data.text, version: event.streamPosition };
};

function recorded(type: string, position: number, text: string, tenantId = 't1'): RecordedEvent {
  return {
    eventId: `e${position}`,
    type,
    data: { noteId: 'n1', text },
    schemaVersion: 1,
    metadata: { tenantId, actorId: 'a', requestId: 'r', correlationId: 'r', causationId: 'r', occurredAt: '2025-06-11T14:00:00Z' },
    streamName: 'note-n1',
    streamPosition: position,
    globalPosition: { commit: '1', prepare: String(position) },
    recordedAt: '',
  };
}

/** The part of an EntityManager a row projection uses, over one in-memory table. */
function memoryEm() {
  const rows = new Map<string, NoteRow>();
  const history: string[] = [];
  const em = {
    findOne: async (_entity: unknown, where: { noteId: string }) => rows.get(where.noteId) ?? null,
    create: (_entity: unknown, row: NoteRow) => rows.set(row.noteId, { ...row }),
  } as unknown as EntityManager;
  return { em, rows, history };
}

describe('rowProjection', () => {
  const table = { name: 'notes' } as unknown as EntitySchema<NoteRow>;
  const { em, rows, history } = memoryEm();
  const projection = rowProjection<NoteRow>({
    name: 'notes',
    handles: ['NoteWritten', 'NoteEdited'],
    entity: table,
    table: 'notes',
    key: (event) => ({ noteId: (event.data as { noteId: string }).noteId }),
    fold: evolveNoteRow,
    alongside: { tables: ['note_history'], apply: (_em, event) => void history.push(event.eventId) },
  });

  it('stores what the fold returns, with the rows alongside it, and owns both tables', async () => {
    expect(projection.tables).toEqual(['notes', 'note_history']);
    await projection.apply(em, recorded('NoteWritten', 1, 'a'));
    await projection.apply(em, recorded('NoteEdited', 2, 'b'));
    expect(rows.get('n1')).toEqual({ noteId: 'n1', tenantId: 't1', text: 'b', version: 2 });
    expect(history).toEqual(['e1', 'e2']);
  });

  it("skips an event already reflected, and one of another tenant's stream", async () => {
    await projection.apply(em, recorded('NoteEdited', 2, 'replayed'));
    await projection.apply(em, recorded('NoteEdited', 3, 'foreign', 't2'));
    expect(rows.get('n1')).toEqual({ noteId: 'n1', tenantId: 't1', text: 'b', version: 2 });
    expect(history).toEqual(['e1', 'e2']);
  });
});
