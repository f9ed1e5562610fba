import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { ACTOR, AT, chars, meta, uuid } from '../testing/crm.fixtures';
import type { LeadPipelineCommand } from './lead-pipeline.commands';
import { firstActiveStatusId, leadPipelineDecider, listStatuses, statusLookup } from './lead-pipeline.decider';
import type { LeadPipelineEvent, LeadStatusDefined, LeadStatusRetired } from './lead-pipeline.events';

const spec = deciderSpecification(leadPipelineDecider);
const NEW = uuid(41);
const CONTACTED = uuid(42);
const PROPOSAL = uuid(43);

const defined = (statusId: string, name: string, order: number): LeadStatusDefined => ({
  type: 'LeadStatusDefined',
  data: { statusId, name, description: '', order, definedAt: AT, definedBy: ACTOR },
});
const retired = (statusId: string): LeadStatusRetired => ({
  type: 'LeadStatusRetired',
  data: { statusId, reason: '', retiredAt: AT, retiredBy: ACTOR },
});
const threeStatuses = [defined(NEW, 'New', 0), defined(CONTACTED, 'Contacted', 1), defined(PROPOSAL, 'Proposal Sent', 2)];

const define = (data: Record<string, unknown>): LeadPipelineCommand =>
  ({ type: 'DefineLeadStatus', data: { statusId: uuid(44), name: 'Booked', ...data }, metadata: meta() }) as LeadPipelineCommand;
const rename = (statusId: string, name: string, description?: string): LeadPipelineCommand => ({
  type: 'RenameLeadStatus',
  data: { statusId, name, ...(description !== undefined ? { description } : {}) },
  metadata: meta(),
});
const reorder = (statusIds: readonly string[]): LeadPipelineCommand => ({
  type: 'ReorderLeadStatuses',
  data: { statusIds },
  metadata: meta(),
});
const retire = (statusId: string): LeadPipelineCommand => ({ type: 'RetireLeadStatus', data: { statusId }, metadata: meta() });
const fold = (events: LeadPipelineEvent[]) => events.reduce(leadPipelineDecider.evolve, leadPipelineDecider.initialState());

describe('lead-pipeline decider', () => {
  describe('when the pipeline is empty', () => {
    it('defines the first status at position 0', () => {
      spec
        .given([])
        .when(define({ statusId: NEW, name: ' New ', description: 'Fresh inquiry' }))
        .then([{ type: 'LeadStatusDefined', data: { ...defined(NEW, 'New', 0).data, description: 'Fresh inquiry' } }]);
    });

    it('validates id, name, description and order', () => {
      spec
        .given([])
        .when(define({ statusId: 'new', name: '', description: chars(2001), position: 1 }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['statusId', 'name', 'description', 'position']);
      spec.given([]).when(define({ name: chars(201) })).thenThrows(DomainErrorCode.InvalidArgument, ['name']);
      spec.given([]).when(define({ position: -1 })).thenThrows(DomainErrorCode.InvalidArgument, ['position']);
      spec.given([]).when(define({ position: 0.5 })).thenThrows(DomainErrorCode.InvalidArgument, ['position']);
    });

    it.each([
      ['rename', rename(NEW, 'Fresh')],
      ['retire', retire(NEW)],
    ])('cannot %s an unknown status', (_name, command) => {
      spec.given([]).when(command).thenThrows(DomainErrorCode.NotFound);
    });
  });

  describe('when the pipeline has active statuses', () => {
    it('appends a new status at the end by default', () => {
      spec
        .given(threeStatuses)
        .when(define({}))
        .then([defined(uuid(44), 'Booked', 3)]);
    });

    it('inserts a status at a given position, shifting the later ones', () => {
      spec.given(threeStatuses).when(define({ position: 1 })).then([defined(uuid(44), 'Booked', 1)]);
      const state = fold([...threeStatuses, defined(uuid(44), 'Booked', 1)]);
      expect(state.activeOrder).toEqual([NEW, uuid(44), CONTACTED, PROPOSAL]);
    });

    it('refuses a duplicate name, ignoring case', () => {
      const error = spec.given(threeStatuses).when(define({ name: 'contacted' })).thenThrows(DomainErrorCode.AlreadyExists);
      expect(error.details).toEqual({ what: 'lead status', statusId: CONTACTED });
    });

    it('refuses a duplicate id', () => {
      spec.given(threeStatuses).when(define({ statusId: NEW, name: 'Other' })).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('renames a status and keeps its description unless given', () => {
      spec
        .given(threeStatuses)
        .when(rename(CONTACTED, 'Reached out'))
        .then([
          {
            type: 'LeadStatusRenamed',
            data: { statusId: CONTACTED, previousName: 'Contacted', name: 'Reached out', description: '', renamedAt: AT, renamedBy: ACTOR },
          },
        ]);
    });

    it('lets a status change the case of its own name', () => {
      spec
        .given(threeStatuses)
        .when(rename(PROPOSAL, 'Proposal sent'))
        .then([
          {
            type: 'LeadStatusRenamed',
            data: {
              statusId: PROPOSAL,
              previousName: 'Proposal Sent',
              name: 'Proposal sent',
              description: '',
              renamedAt: AT,
              renamedBy: ACTOR,
            },
          },
        ]);
    });

    it('refuses to rename onto another status name', () => {
      spec.given(threeStatuses).when(rename(CONTACTED, 'NEW')).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('records nothing for a rename to the same name and description', () => {
      spec.given(threeStatuses).when(rename(CONTACTED, 'Contacted', '')).then([]);
    });

    it('rejects an empty new name', () => {
      spec.given(threeStatuses).when(rename(CONTACTED, '')).thenThrows(DomainErrorCode.InvalidArgument, ['name']);
    });

    it('reorders the active statuses', () => {
      spec
        .given(threeStatuses)
        .when(reorder([PROPOSAL, NEW, CONTACTED]))
        .then([{ type: 'LeadStatusesReordered', data: { statusIds: [PROPOSAL, NEW, CONTACTED], reorderedAt: AT, reorderedBy: ACTOR } }]);
    });

    it('records nothing when the order is unchanged', () => {
      spec.given(threeStatuses).when(reorder([NEW, CONTACTED, PROPOSAL])).then([]);
    });

    it.each([
      ['a missing status', [NEW, CONTACTED]],
      ['an unknown status', [NEW, CONTACTED, PROPOSAL, uuid(49)]],
    ])('rejects a reorder with %s', (_name, ids) => {
      spec.given(threeStatuses).when(reorder(ids)).thenThrows(DomainErrorCode.InvalidArgument, ['statusIds']);
    });

    it('rejects a reorder that repeats a status', () => {
      spec.given(threeStatuses).when(reorder([NEW, CONTACTED, NEW])).thenThrows(DomainErrorCode.InvalidArgument, ['statusIds[2]']);
    });

    it('retires a status', () => {
      spec.given(threeStatuses).when(retire(CONTACTED)).then([retired(CONTACTED)]);
    });
  });

  describe('when a status is retired', () => {
    const history = [...threeStatuses, retired(CONTACTED)];

    it('cannot be retired twice', () => {
      spec.given(history).when(retire(CONTACTED)).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('cannot be renamed', () => {
      spec.given(history).when(rename(CONTACTED, 'Reached out')).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('frees its name for a new status', () => {
      spec
        .given(history)
        .when(define({ name: 'Contacted' }))
        .then([defined(uuid(44), 'Contacted', 2)]);
    });

    it('must not appear in a reorder', () => {
      spec.given(history).when(reorder([PROPOSAL, CONTACTED, NEW])).thenThrows(DomainErrorCode.InvalidArgument, ['statusIds']);
      spec
        .given(history)
        .when(reorder([PROPOSAL, NEW]))
        .then([{ type: 'LeadStatusesReordered', data: { statusIds: [PROPOSAL, NEW], reorderedAt: AT, reorderedBy: ACTOR } }]);
    });

    it('stays in the catalog as history, flagged retired and out of the order', () => {
      const state = fold(history);
      expect(statusLookup(state, CONTACTED)).toEqual({ statusId: CONTACTED, exists: true, retired: true });
      expect(statusLookup(state, uuid(49))).toEqual({ statusId: uuid(49), exists: false, retired: false });
      expect(listStatuses(state)).toEqual([
        { statusId: NEW, name: 'New', description: '', retired: false, order: 0 },
        { statusId: PROPOSAL, name: 'Proposal Sent', description: '', retired: false, order: 1 },
        { statusId: CONTACTED, name: 'Contacted', description: '', retired: true, order: null },
      ]);
    });

    it('is never the default starting status', () => {
      expect(firstActiveStatusId(fold([...threeStatuses, retired(NEW)]))).toBe(CONTACTED);
      expect(firstActiveStatusId(leadPipelineDecider.initialState())).toBeNull();
    });
  });
});
