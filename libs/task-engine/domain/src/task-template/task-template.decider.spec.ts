import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { ACTOR, meta, NOW_ISO, TENANT } from '../shared/command-metadata.fixtures';
import type { CreateTaskTemplate, RetireTaskTemplate, ReviseTaskTemplate } from './task-template.commands';
import { activeTemplateVersion, evolveTaskTemplate, initialTaskTemplateState, taskTemplateDecider } from './task-template.decider';
import { taskTemplateId, type TaskTemplateDefinition } from './task-template.definition';
import type { TaskTemplateCreated, TaskTemplateRetired, TaskTemplateRevised } from './task-template.events';
import { BOOKED, definition } from './task-template.fixtures';

const spec = deciderSpecification(taskTemplateDecider);
const ID = taskTemplateId(TENANT, BOOKED, 'send-contract');

const create = (def: TaskTemplateDefinition = definition(), templateId = ID): CreateTaskTemplate => ({
  type: 'CreateTaskTemplate',
  data: { templateId, definition: def },
  metadata: meta(),
});
const revise = (def: TaskTemplateDefinition): ReviseTaskTemplate => ({ type: 'ReviseTaskTemplate', data: { templateId: ID, definition: def }, metadata: meta() });
const retire: RetireTaskTemplate = { type: 'RetireTaskTemplate', data: { templateId: ID, reason: 'no longer sent' }, metadata: meta() };

const created: TaskTemplateCreated = {
  type: 'TaskTemplateCreated',
  data: { tenantId: TENANT, templateId: ID, version: 1, definition: definition(), createdBy: ACTOR, createdAt: NOW_ISO },
};
const revisedDefinition = definition({ name: 'Send the signed contract', priority: 'Critical' });
const revised: TaskTemplateRevised = {
  type: 'TaskTemplateRevised',
  data: {
    tenantId: TENANT,
    templateId: ID,
    version: 2,
    previousVersion: 1,
    definition: revisedDefinition,
    reinstated: false,
    revisedBy: ACTOR,
    revisedAt: NOW_ISO,
  },
};
const retired: TaskTemplateRetired = {
  type: 'TaskTemplateRetired',
  data: { tenantId: TENANT, templateId: ID, version: 1, reason: 'no longer sent', retiredBy: ACTOR, retiredAt: NOW_ISO },
};

describe('task template', () => {
  describe('when it does not exist', () => {
    it('creates version 1 with the full definition', () => {
      spec.given([]).when(create()).then([created]);
    });

    it('canonicalises effort hours and fills optional parts', () => {
      const loose = { ...definition({ effortHours: '1.5' }), metadata: undefined, checklist: undefined, dependsOn: undefined } as unknown as TaskTemplateDefinition;
      const [event] = taskTemplateDecider.decide(create(loose), initialTaskTemplateState());
      expect(event?.type === 'TaskTemplateCreated' && event.data.definition).toMatchObject({ effortHours: '1.50', metadata: {}, checklist: [], dependsOn: [] });
    });

    it('keeps text trimmed and blank optional text as none', () => {
      const spaced = definition({ name: '  Send the contract ', phase: '   ', checklist: [{ itemKey: ' draft ', title: ' Draft it ' }] });
      const [event] = taskTemplateDecider.decide(create(spaced), initialTaskTemplateState());
      expect(event?.type === 'TaskTemplateCreated' && event.data.definition).toMatchObject({
        name: 'Send the contract',
        phase: null,
        checklist: [{ itemKey: 'draft', title: 'Draft it' }],
      });
    });

    it('reports metadata on the map, without reading a key as a field name', () => {
      spec
        .given([])
        .when(create(definition({ metadata: { 'Venue Name': 'Old Mill', Venue: 'x'.repeat(1_001) } })))
        .thenThrows(DomainErrorCode.InvalidArgument, ['metadata', 'metadata']);
    });

    it('names every invalid field', () => {
      const bad = definition({
        key: 'Send Contract',
        name: '',
        priority: 'Urgent' as never,
        dueOffset: { days: -1, hours: 24, businessDays: false, direction: 'after', anchor: { kind: 'subject_date', field: 'Event Date' } },
        effortHours: '-2',
        checklist: [
          { itemKey: 'draft', title: 'Draft it' },
          { itemKey: 'draft', title: '' },
        ],
        description: 'd'.repeat(5001),
      });
      spec
        .given([])
        .when(create(bad))
        .thenThrows(DomainErrorCode.InvalidArgument, [
          'key',
          'name',
          'priority',
          'description',
          'dueOffset.days',
          'dueOffset.hours',
          'dueOffset.anchor.field',
          'effortHours',
          'checklist[1].itemKey',
          'checklist[1].title',
        ]);
    });

    it('refuses a self-dependency, a self-parent and a duplicate dependency', () => {
      spec
        .given([])
        .when(create(definition({ dependsOn: ['send-contract', 'call-client', 'call-client'], parentKey: 'send-contract' })))
        .thenThrows(DomainErrorCode.InvalidArgument, ['dependsOn[0]', 'dependsOn[2]', 'parentKey']);
    });

    it('refuses "before" relative to the trigger time', () => {
      spec
        .given([])
        .when(create(definition({ dueOffset: { days: 1, hours: 0, businessDays: false, direction: 'before', anchor: { kind: 'trigger_time' } } })))
        .thenThrows(DomainErrorCode.InvalidArgument, ['dueOffset.direction']);
    });

    it('refuses an id not derived from tenant, trigger and key (keys are unique per trigger)', () => {
      spec.given([]).when(create(definition(), 'some-other-id')).thenThrows(DomainErrorCode.InvalidArgument, ['templateId']);
    });

    it('cannot be revised or retired', () => {
      spec.given([]).when(revise(revisedDefinition)).thenThrows(DomainErrorCode.NotFound);
      spec.given([]).when(retire).thenThrows(DomainErrorCode.NotFound);
    });
  });

  describe('when version 1 is active', () => {
    it('treats the same create again as a no-op', () => {
      spec.given([created]).when(create()).then([]);
    });

    it('refuses a different create under the same key and trigger', () => {
      spec.given([created]).when(create(definition({ name: 'Other' }))).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('a revision makes version 2 with the full new definition', () => {
      spec.given([created]).when(revise(revisedDefinition)).then([revised]);
    });

    it('a revision without changes makes no version', () => {
      spec.given([created]).when(revise(definition())).then([]);
    });

    it('a revision cannot change the key or the trigger', () => {
      spec
        .given([created])
        .when(revise(definition({ key: 'send-invoice', trigger: { kind: 'event_type', eventTypeKey: 'wedding.booked' } })))
        .thenThrows(DomainErrorCode.InvalidArgument, ['key', 'trigger']);
    });

    it('retires it', () => {
      spec.given([created]).when(retire).then([retired]);
    });
  });

  describe('when it is retired', () => {
    it('refuses retiring it again', () => {
      spec.given([created, retired]).when(retire).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('is not offered to the planner', () => {
      expect(activeTemplateVersion([created, retired].reduce(evolveTaskTemplate, initialTaskTemplateState()))).toBeUndefined();
    });

    it('creating it again tells the caller to revise', () => {
      const error = spec.given([created, retired]).when(create()).thenThrows(DomainErrorCode.AlreadyExists);
      expect(error.details).toMatchObject({ retired: true });
    });

    it('a revision reinstates it as a new version', () => {
      spec
        .given([created, retired])
        .when(revise(definition()))
        .then([
          {
            type: 'TaskTemplateRevised',
            data: { ...revised.data, definition: definition(), reinstated: true },
          },
        ]);
    });
  });

  it('offers the planner the latest version', () => {
    const state = [created, revised].reduce(evolveTaskTemplate, initialTaskTemplateState());
    expect(activeTemplateVersion(state)).toEqual({ templateId: ID, version: 2, definition: revisedDefinition });
  });
});
