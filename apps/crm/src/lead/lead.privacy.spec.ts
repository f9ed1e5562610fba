import { historyData } from './lead.privacy';

describe('historyData', () => {
  const note = (isPrivate: boolean) => ({
    type: 'LeadNoteAdded',
    data: { leadId: 'l', noteId: 'n', body: 'the client is on a budget', private: isPrivate, mentions: ['u'], addedAt: '2026-01-01T00:00:00.000Z', addedBy: 'author' },
  });

  it("keeps another user's private note as a fact without its body or mentions", () => {
    expect(historyData(note(true), 'someone-else')).toEqual({ leadId: 'l', noteId: 'n', private: true, addedAt: '2026-01-01T00:00:00.000Z', addedBy: 'author' });
  });

  it('shows a private note whole to its author, and a shared note to everyone', () => {
    expect(historyData(note(true), 'author')).toEqual(note(true).data);
    expect(historyData(note(false), 'someone-else')).toEqual(note(false).data);
  });

  it('leaves every other event as stored', () => {
    const event = { type: 'LeadAssigned', data: { leadId: 'l', assigneeId: 'a' } };
    expect(historyData(event, 'someone-else')).toBe(event.data);
  });
});
