import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { ACTOR, AT, chars, meta, uuid } from '../testing/crm.fixtures';
import type { LeadCommand } from './lead.commands';
import { leadDecider } from './lead.decider';
import type { LeadArchived, LeadAssigned, LeadCaptured, LeadEvent, LeadNoteAdded, LeadStatusChanged } from './lead.events';

const spec = deciderSpecification(leadDecider);
const LEAD = uuid(51);
const CONTACT = uuid(21);
const NEW = uuid(41);
const CONTACTED = uuid(42);
const RETIRED = uuid(43);
const CAMPAIGN = uuid(61);
const ALICE = uuid(11);
const BOB = uuid(12);

const captured: LeadCaptured = {
  type: 'LeadCaptured',
  data: {
    leadId: LEAD,
    contactId: CONTACT,
    statusId: NEW,
    eventDate: '2026-05-23',
    venue: 'Château de Vaux',
    source: 'website',
    sourceDetails: 'contact form',
    campaignId: CAMPAIGN,
    followUpDate: '2025-06-13',
    expectedCloseDate: '2025-07-01',
    temperature: 'Warm',
    notes: 'Wants a highlight film',
    assigneeId: null,
    capturedAt: AT,
    capturedBy: ACTOR,
  },
};
const statusChanged: LeadStatusChanged = {
  type: 'LeadStatusChanged',
  data: { leadId: LEAD, fromStatusId: NEW, toStatusId: CONTACTED, reason: 'called back', changedAt: AT, changedBy: ACTOR },
};
const assignedToAlice: LeadAssigned = {
  type: 'LeadAssigned',
  data: { leadId: LEAD, assigneeId: ALICE, previousAssigneeId: null, reason: 'round robin', assignedAt: AT, assignedBy: ACTOR },
};
const noteAdded: LeadNoteAdded = {
  type: 'LeadNoteAdded',
  data: { leadId: LEAD, noteId: uuid(71), body: 'Budget is flexible', private: true, mentions: [ALICE], addedAt: AT, addedBy: ACTOR },
};
const archived: LeadArchived = {
  type: 'LeadArchived',
  data: { leadId: LEAD, reason: 'went elsewhere', archivedAt: AT, archivedBy: ACTOR },
};

const status = (statusId: string, facts: Partial<{ exists: boolean; retired: boolean }> = {}) => ({
  statusId,
  exists: true,
  retired: false,
  ...facts,
});

const capture = (data: Record<string, unknown> = {}): LeadCommand =>
  ({
    type: 'CaptureLead',
    data: {
      leadId: LEAD,
      contact: { contactId: CONTACT, exists: true, archived: false },
      status: status(NEW),
      eventDate: '2026-05-23',
      venue: ' Château de Vaux ',
      source: 'website',
      sourceDetails: 'contact form',
      campaignId: CAMPAIGN,
      followUpDate: '2025-06-13',
      expectedCloseDate: '2025-07-01',
      temperature: 'Warm',
      notes: 'Wants a highlight film',
      ...data,
    },
    metadata: meta(),
  }) as LeadCommand;

const changeStatus = (target: ReturnType<typeof status>, reason = 'called back'): LeadCommand => ({
  type: 'ChangeLeadStatus',
  data: { leadId: LEAD, target, reason },
  metadata: meta(),
});
const assign = (userId: string, facts: Partial<{ exists: boolean; active: boolean }> = {}, reason = 'round robin'): LeadCommand => ({
  type: 'AssignLead',
  data: { leadId: LEAD, assignee: { userId, exists: true, active: true, ...facts }, reason },
  metadata: meta(),
});
const addNote = (data: Record<string, unknown> = {}): LeadCommand =>
  ({
    type: 'AddLeadNote',
    data: { leadId: LEAD, noteId: uuid(71), body: 'Budget is flexible', private: true, mentions: [ALICE], ...data },
    metadata: meta(),
  }) as LeadCommand;
const logCommunication = (data: Record<string, unknown> = {}): LeadCommand =>
  ({
    type: 'LogCommunication',
    data: {
      leadId: LEAD,
      communicationId: uuid(81),
      type: 'Call',
      direction: 'Outbound',
      subject: 'Intro call',
      content: 'Discussed dates',
      ...data,
    },
    metadata: meta(),
  }) as LeadCommand;
const archive: LeadCommand = { type: 'ArchiveLead', data: { leadId: LEAD, reason: 'went elsewhere' }, metadata: meta() };
const fold = (events: LeadEvent[]) => events.reduce(leadDecider.evolve, leadDecider.initialState());

describe('lead decider', () => {
  describe('when the lead does not exist', () => {
    it('captures it', () => {
      spec.given([]).when(capture()).then([captured]);
    });

    it('captures and assigns in one decision, so the capture is never half-done', () => {
      const user = { userId: ALICE, exists: true, active: true };
      spec
        .given([])
        .when(capture({ assignee: user }))
        .then([
          { ...captured, data: { ...captured.data, assigneeId: ALICE } },
          { type: 'LeadAssigned', data: { ...assignedToAlice.data, reason: 'assigned at capture' } },
        ]);
      spec.given([]).when(capture({ assignee: { ...user, active: false } })).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given([]).when(capture({ assignee: { ...user, exists: false } })).thenThrows(DomainErrorCode.NotFound);
      spec.given([]).when(capture({ assignee: { ...user, userId: 'alice' } })).thenThrows(DomainErrorCode.InvalidArgument, ['assigneeId']);
    });

    it('captures a bare inquiry with defaults: Cold, no dates, no venue', () => {
      spec
        .given([])
        .when(
          capture({
            eventDate: undefined,
            venue: '',
            sourceDetails: undefined,
            campaignId: '',
            followUpDate: null,
            expectedCloseDate: undefined,
            temperature: undefined,
            notes: undefined,
          }),
        )
        .then([
          {
            type: 'LeadCaptured',
            data: {
              ...captured.data,
              eventDate: null,
              venue: null,
              sourceDetails: '',
              campaignId: null,
              followUpDate: null,
              expectedCloseDate: null,
              temperature: 'Cold',
              notes: null,
            },
          },
        ]);
    });

    it('names every invalid field as the gRPC request does', () => {
      spec
        .given([])
        .when(
          capture({
            leadId: 'lead-1',
            eventDate: '2026-02-30',
            venue: chars(501),
            source: ' ',
            sourceDetails: chars(2001),
            campaignId: 'spring',
            followUpDate: '13/06/2025',
            expectedCloseDate: '2025-7-1',
            temperature: 'Lukewarm',
            notes: chars(10_001),
          }),
        )
        .thenThrows(DomainErrorCode.InvalidArgument, [
          'leadId',
          'eventDate',
          'venue',
          'source',
          'sourceDetails',
          'campaignId',
          'followUpDate',
          'expectedCloseDate',
          'temperature',
          'notes',
        ]);
    });

    it('rejects missing references', () => {
      spec
        .given([])
        .when(capture({ contact: { contactId: '', exists: false, archived: false }, status: status('') }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['contactId', 'statusId']);
    });

    it('accepts a source of exactly 200 characters but not 201', () => {
      spec.given([]).when(capture({ source: chars(201) })).thenThrows(DomainErrorCode.InvalidArgument, ['source']);
      spec
        .given([])
        .when(capture({ source: chars(200) }))
        .then([{ type: 'LeadCaptured', data: { ...captured.data, source: chars(200) } }]);
    });

    it('reports an unknown contact as not found and an archived one as a failed precondition', () => {
      spec
        .given([])
        .when(capture({ contact: { contactId: CONTACT, exists: false, archived: false } }))
        .thenThrows(DomainErrorCode.NotFound);
      spec
        .given([])
        .when(capture({ contact: { contactId: CONTACT, exists: true, archived: true } }))
        .thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('cannot start in an unknown or a retired status', () => {
      spec.given([]).when(capture({ status: status(NEW, { exists: false }) })).thenThrows(DomainErrorCode.NotFound);
      spec.given([]).when(capture({ status: status(RETIRED, { retired: true }) })).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it.each([
      ['ChangeLeadStatus', changeStatus(status(CONTACTED))],
      ['AssignLead', assign(ALICE)],
      ['AddLeadNote', addNote()],
      ['LogCommunication', logCommunication()],
      ['ArchiveLead', archive],
    ])('cannot %s', (_name, command) => {
      spec.given([]).when(command).thenThrows(DomainErrorCode.NotFound);
    });
  });

  describe('when the lead is open', () => {
    it('cannot be captured twice', () => {
      spec.given([captured]).when(capture()).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('changes status, recording from, to, reason and who', () => {
      spec.given([captured]).when(changeStatus(status(CONTACTED))).then([statusChanged]);
      spec
        .given([captured, statusChanged])
        .when(changeStatus(status(NEW), 'client went quiet'))
        .then([
          {
            type: 'LeadStatusChanged',
            data: { leadId: LEAD, fromStatusId: CONTACTED, toStatusId: NEW, reason: 'client went quiet', changedAt: AT, changedBy: ACTOR },
          },
        ]);
    });

    it('refuses the status it is already in (a transition to itself is no transition)', () => {
      const error = spec.given([captured, statusChanged]).when(changeStatus(status(CONTACTED))).thenThrows(DomainErrorCode.FailedPrecondition);
      expect(error.details).toEqual({ leadId: LEAD, statusId: CONTACTED });
    });

    it('cannot enter a retired status', () => {
      const error = spec
        .given([captured])
        .when(changeStatus(status(RETIRED, { retired: true })))
        .thenThrows(DomainErrorCode.FailedPrecondition);
      expect(error.details).toEqual({ statusId: RETIRED });
    });

    it('cannot enter an unknown status', () => {
      spec.given([captured]).when(changeStatus(status(uuid(49), { exists: false }))).thenThrows(DomainErrorCode.NotFound);
    });

    it('rejects a malformed target status id or an over-long reason', () => {
      spec
        .given([captured])
        .when(changeStatus(status('contacted'), chars(1001)))
        .thenThrows(DomainErrorCode.InvalidArgument, ['toStatusId', 'reason']);
    });

    it('assigns and reassigns, keeping who had it before and why', () => {
      spec.given([captured]).when(assign(ALICE)).then([assignedToAlice]);
      spec
        .given([captured, assignedToAlice])
        .when(assign(BOB, {}, 'Alice on leave'))
        .then([
          {
            type: 'LeadAssigned',
            data: { leadId: LEAD, assigneeId: BOB, previousAssigneeId: ALICE, reason: 'Alice on leave', assignedAt: AT, assignedBy: ACTOR },
          },
        ]);
    });

    it('records nothing when reassigned to the current assignee', () => {
      spec.given([captured, assignedToAlice]).when(assign(ALICE)).then([]);
    });

    it('cannot be assigned to an unknown or a deactivated user', () => {
      spec.given([captured]).when(assign(BOB, { exists: false, active: false })).thenThrows(DomainErrorCode.NotFound);
      spec.given([captured]).when(assign(BOB, { active: false })).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given([captured]).when(assign('bob')).thenThrows(DomainErrorCode.InvalidArgument, ['assigneeId']);
    });

    it('adds a private note with mentions', () => {
      spec.given([captured]).when(addNote()).then([noteAdded]);
    });

    it('adds a public note by default', () => {
      spec
        .given([captured])
        .when(addNote({ private: undefined, mentions: undefined }))
        .then([{ type: 'LeadNoteAdded', data: { ...noteAdded.data, private: false, mentions: [] } }]);
    });

    it('refuses a note id used before', () => {
      spec.given([captured, noteAdded]).when(addNote()).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('validates the note', () => {
      spec
        .given([captured])
        .when(addNote({ noteId: 'n1', body: '', mentions: [ALICE, 'bob', ALICE] }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['noteId', 'body', 'mentions[1]', 'mentions[2]']);
    });

    it('logs a communication, completed now by default', () => {
      spec
        .given([captured])
        .when(logCommunication())
        .then([
          {
            type: 'CommunicationLogged',
            data: {
              leadId: LEAD,
              communicationId: uuid(81),
              type: 'Call',
              direction: 'Outbound',
              subject: 'Intro call',
              content: 'Discussed dates',
              status: 'Completed',
              occurredAt: AT,
              loggedAt: AT,
              loggedBy: ACTOR,
            },
          },
        ]);
    });

    it('normalizes when a communication occurred to UTC', () => {
      const [event] = leadDecider.decide(
        logCommunication({ status: 'Scheduled', occurredAt: '2025-06-12T16:00:00+02:00' }),
        fold([captured]),
      );
      expect(event?.data).toMatchObject({ status: 'Scheduled', occurredAt: '2025-06-12T14:00:00.000Z' });
    });

    it('validates the communication', () => {
      spec
        .given([captured])
        .when(
          logCommunication({
            communicationId: 'c1',
            type: 'Fax',
            direction: 'Sideways',
            status: 'Done',
            subject: chars(501),
            occurredAt: '2025-06-12 16:00',
          }),
        )
        .thenThrows(DomainErrorCode.InvalidArgument, ['communicationId', 'type', 'direction', 'status', 'subject', 'occurredAt']);
    });

    it('refuses a communication id used before', () => {
      const logged = leadDecider.decide(logCommunication(), fold([captured]));
      spec.given([captured, ...logged]).when(logCommunication()).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('tracks the last engagement from completed communications only', () => {
      const state = fold([
        captured,
        ...leadDecider.decide(logCommunication({ communicationId: uuid(82), occurredAt: '2025-06-10T10:00:00Z' }), fold([captured])),
        ...leadDecider.decide(
          logCommunication({ communicationId: uuid(83), status: 'Scheduled', occurredAt: '2025-06-20T10:00:00Z' }),
          fold([captured]),
        ),
      ]);
      expect(state.lifecycle !== 'none' && state.lastEngagementAt).toBe('2025-06-10T10:00:00.000Z');
    });

    it('records only the details that changed', () => {
      spec
        .given([captured])
        .when({
          type: 'UpdateLeadDetails',
          data: { leadId: LEAD, venue: 'Château de Vaux', temperature: 'Hot', campaignId: null, expectedCloseDate: '2025-08-01' },
          metadata: meta(),
        })
        .then([
          {
            type: 'LeadDetailsUpdated',
            data: {
              leadId: LEAD,
              changes: { temperature: 'Hot', campaignId: null, expectedCloseDate: '2025-08-01' },
              updatedAt: AT,
              updatedBy: ACTOR,
            },
          },
        ]);
      spec.given([captured]).when({ type: 'UpdateLeadDetails', data: { leadId: LEAD, source: 'website' }, metadata: meta() }).then([]);
    });

    it('validates updated details', () => {
      spec
        .given([captured])
        .when({ type: 'UpdateLeadDetails', data: { leadId: LEAD, eventDate: '2026-13-01', source: '' }, metadata: meta() })
        .thenThrows(DomainErrorCode.InvalidArgument, ['eventDate', 'source']);
    });

    it('moves and clears the follow-up date', () => {
      const schedule = (followUpDate: string | null): LeadCommand => ({
        type: 'ScheduleLeadFollowUp',
        data: { leadId: LEAD, followUpDate },
        metadata: meta(),
      });
      spec
        .given([captured])
        .when(schedule('2025-06-20'))
        .then([
          {
            type: 'LeadFollowUpScheduled',
            data: { leadId: LEAD, previousFollowUpDate: '2025-06-13', followUpDate: '2025-06-20', scheduledAt: AT, scheduledBy: ACTOR },
          },
        ]);
      spec
        .given([captured])
        .when(schedule(null))
        .then([
          {
            type: 'LeadFollowUpScheduled',
            data: { leadId: LEAD, previousFollowUpDate: '2025-06-13', followUpDate: null, scheduledAt: AT, scheduledBy: ACTOR },
          },
        ]);
      spec.given([captured]).when(schedule('2025-06-13')).then([]);
      spec.given([captured]).when(schedule('tomorrow')).thenThrows(DomainErrorCode.InvalidArgument, ['followUpDate']);
    });

    it('is archived', () => {
      spec.given([captured, statusChanged]).when(archive).then([archived]);
    });
  });

  describe('when the lead sits in a status that was retired since', () => {
    it('refuses a change to that same status as no transition', () => {
      spec.given([captured, statusChanged]).when(changeStatus(status(CONTACTED, { retired: true }))).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('can leave it for an active status', () => {
      spec
        .given([captured, statusChanged])
        .when(changeStatus(status(NEW), 'reopened'))
        .then([
          {
            type: 'LeadStatusChanged',
            data: { leadId: LEAD, fromStatusId: CONTACTED, toStatusId: NEW, reason: 'reopened', changedAt: AT, changedBy: ACTOR },
          },
        ]);
    });
  });

  describe('when the lead is archived', () => {
    const history = [captured, archived];

    it.each([
      ['ChangeLeadStatus', changeStatus(status(CONTACTED))],
      ['AssignLead', assign(ALICE)],
      ['AddLeadNote', addNote()],
      ['LogCommunication', logCommunication()],
      ['UpdateLeadDetails', { type: 'UpdateLeadDetails', data: { leadId: LEAD, temperature: 'Hot' }, metadata: meta() } as LeadCommand],
      [
        'ScheduleLeadFollowUp',
        { type: 'ScheduleLeadFollowUp', data: { leadId: LEAD, followUpDate: null }, metadata: meta() } as LeadCommand,
      ],
      ['ArchiveLead', archive],
    ])('rejects %s', (_name, command) => {
      spec.given(history).when(command).thenThrows(DomainErrorCode.FailedPrecondition);
    });
  });
});
