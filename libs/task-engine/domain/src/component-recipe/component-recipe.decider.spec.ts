import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { DEFAULT_BUSINESS_CALENDAR } from '../business-calendar/business-calendar.decider';
import { plannedTaskId } from '../expansion/expansion.planner';
import { ACTOR, meta, NOW_ISO, TENANT } from '../shared/command-metadata.fixtures';
import { templateVersion } from '../task-template/task-template.fixtures';
import type { DefineComponentRecipe, RetireComponentRecipe } from './component-recipe.commands';
import { evolveRecipeBook, initialRecipeBookState, recipeBookDecider, RECIPE_LIMITS } from './component-recipe.decider';
import type { ComponentRecipeDefined, ComponentRecipeEvent, RecipeMatch } from './component-recipe.events';
import {
  type BookedComponent,
  buildComponentTriggerEventId,
  matchComponents,
  matchRecipe,
  planComponentExpansion,
} from './component-recipe.expansion';

const spec = deciderSpecification(recipeBookDecider);
const R1 = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const R2 = '7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const T1 = '0b6f9c1e-7d8a-4f3b-9e2c-4a1d6b8c0e3f';
const T2 = '1c7a0d2f-8e9b-4a4c-8f3d-5b2e7c9d1f4a';

const define = (overrides: Partial<DefineComponentRecipe['data']> = {}): DefineComponentRecipe => ({
  type: 'DefineComponentRecipe',
  data: { recipeId: R1, name: 'Highlight film edit', match: { deliverableId: 'film', sceneId: null, editingStyleId: null }, templateIds: [T1], ...overrides },
  metadata: meta(),
});
const defined = (overrides: Partial<ComponentRecipeDefined['data']> = {}): ComponentRecipeDefined => ({
  type: 'ComponentRecipeDefined',
  data: {
    tenantId: TENANT,
    recipeId: R1,
    revision: 1,
    name: 'Highlight film edit',
    match: { deliverableId: 'film', sceneId: null, editingStyleId: null },
    templateIds: [T1],
    definedBy: ACTOR,
    definedAt: NOW_ISO,
    ...overrides,
  },
});
const retire = (recipeId = R1): RetireComponentRecipe => ({ type: 'RetireComponentRecipe', data: { recipeId, reason: 'style dropped' }, metadata: meta() });

const book = (events: ComponentRecipeEvent[]) => events.reduce(evolveRecipeBook, initialRecipeBookState());
const component = (overrides: Partial<BookedComponent> = {}): BookedComponent => ({
  componentId: 'c-1',
  deliverableId: 'film',
  deliverableName: 'Highlight film',
  sceneId: 'ceremony',
  sceneName: 'Ceremony',
  editingStyleId: 'cinematic',
  editingStyleName: 'Cinematic',
  targetMinutes: 5,
  ...overrides,
});
const recipe = (recipeId: string, match: Partial<RecipeMatch>, templateIds = [T1]) =>
  defined({ recipeId, match: { deliverableId: 'film', sceneId: null, editingStyleId: null, ...match }, templateIds });

describe('component recipe book', () => {
  describe('when empty', () => {
    it('defines a recipe at revision 1', () => {
      spec.given([]).when(define()).then([defined()]);
    });

    it('names every invalid field', () => {
      spec
        .given([])
        .when(define({ recipeId: 'not-a-uuid', name: ' ', match: { deliverableId: 'has space', sceneId: null, editingStyleId: null }, templateIds: [] }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['recipeId', 'name', 'match.deliverableId', 'templateIds']);
    });

    it('refuses more templates than a recipe may hold, and duplicates', () => {
      const many = Array.from({ length: RECIPE_LIMITS.templatesPerRecipe + 1 }, (_, i) => `0b6f9c1e-7d8a-4f3b-9e2c-${String(i).padStart(12, '0')}`);
      spec.given([]).when(define({ templateIds: many })).thenThrows(DomainErrorCode.InvalidArgument, ['templateIds']);
      spec.given([]).when(define({ templateIds: [T1, T1] })).thenThrows(DomainErrorCode.InvalidArgument, ['templateIds[1]']);
    });

    it('cannot retire what it does not have', () => {
      spec.given([]).when(retire()).thenThrows(DomainErrorCode.NotFound);
    });
  });

  describe('when a recipe exists', () => {
    it('is a no-op to define the same content again', () => {
      spec.given([defined()]).when(define()).then([]);
    });

    it('revises it with new content', () => {
      spec.given([defined()]).when(define({ templateIds: [T1, T2] })).then([defined({ revision: 2, templateIds: [T1, T2] })]);
    });

    it('refuses a second active recipe with the same match', () => {
      spec.given([defined()]).when(define({ recipeId: R2 })).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('takes a second recipe with a more specific match', () => {
      const scene = { deliverableId: 'film', sceneId: 'ceremony', editingStyleId: null };
      spec.given([defined()]).when(define({ recipeId: R2, match: scene })).then([defined({ recipeId: R2, match: scene })]);
    });

    it('retires it once; a retired one frees its match and comes back when defined again', () => {
      const retired: ComponentRecipeEvent = {
        type: 'ComponentRecipeRetired',
        data: { tenantId: TENANT, recipeId: R1, revision: 1, reason: 'style dropped', retiredBy: ACTOR, retiredAt: NOW_ISO },
      };
      spec.given([defined()]).when(retire()).then([retired]);
      spec.given([defined(), retired]).when(retire()).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given([defined(), retired]).when(define({ recipeId: R2 })).then([defined({ recipeId: R2 })]);
      spec.given([defined(), retired]).when(define()).then([defined({ revision: 2 })]);
    });
  });
});

describe('matching a booked component', () => {
  const any = recipe(R1, {});
  const byScene = recipe(R2, { sceneId: 'ceremony' }, [T2]);
  const byStyle = recipe('8b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', { editingStyleId: 'cinematic' });
  const exact = recipe('9c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f', { sceneId: 'ceremony', editingStyleId: 'cinematic' });

  it('takes the most specific active recipe: scene and style, then scene, then style, then the deliverable', () => {
    expect(matchRecipe(book([any, byScene, byStyle, exact]), component())?.recipeId).toBe(exact.data.recipeId);
    expect(matchRecipe(book([any, byScene, byStyle]), component())?.recipeId).toBe(R2);
    expect(matchRecipe(book([any, byStyle]), component())?.recipeId).toBe(byStyle.data.recipeId);
    expect(matchRecipe(book([any, byScene]), component({ sceneId: 'reception' }))?.recipeId).toBe(R1);
  });

  it('matches nothing for another deliverable, or a retired recipe', () => {
    expect(matchRecipe(book([any]), component({ deliverableId: 'album' }))).toBeUndefined();
    const retired: ComponentRecipeEvent = {
      type: 'ComponentRecipeRetired',
      data: { tenantId: TENANT, recipeId: R1, revision: 1, reason: null, retiredBy: ACTOR, retiredAt: NOW_ISO },
    };
    expect(matchRecipe(book([any, retired]), component())).toBeUndefined();
  });

  it('splits a booking into matched components (with their recipe) and unmatched ones', () => {
    const result = matchComponents(book([byScene]), [component(), component({ componentId: 'c-2', sceneId: 'reception' })]);
    expect(result).toEqual({ matched: [{ componentId: 'c-1', recipeId: R2, recipeRevision: 1, templateIds: [T2] }], unmatched: ['c-2'] });
  });
});

describe('planning a component', () => {
  const build = { tenantId: TENANT, buildId: 'build-1', version: 1, eventDate: '2027-06-12', bookedAt: '2026-12-01T10:00:00Z' };
  const edit = templateVersion({
    key: 'edit-film',
    name: 'Edit the film',
    defaultAssignee: { kind: 'none' },
    dueOffset: { days: 14, hours: 9, businessDays: false, direction: 'after', anchor: { kind: 'subject_date', field: 'event_date' } },
  });
  const review = templateVersion({ key: 'review-film', name: 'Review the film', defaultAssignee: { kind: 'none' }, dependsOn: ['edit-film'] });

  it('plans one task per template, due relative to the event date, ids from (build, component, template)', () => {
    const plan = planComponentExpansion({ build, component: component(), templates: [edit, review], calendar: DEFAULT_BUSINESS_CALENDAR });
    const triggerEventId = buildComponentTriggerEventId(TENANT, 'build-1', 'c-1');
    expect(plan.tasks.map((t) => [t.taskId, t.name, t.dueAt, t.initialStatus])).toEqual([
      [plannedTaskId(TENANT, triggerEventId, edit.templateId), 'Edit the film · Highlight film / Ceremony / Cinematic', '2027-06-26T09:00:00.000Z', 'Ready to Start'],
      [plannedTaskId(TENANT, triggerEventId, review.templateId), 'Review the film · Highlight film / Ceremony / Cinematic', '2026-12-03T10:00:00.000Z', 'To-Do'],
    ]);
    expect(plan.tasks[0]).toMatchObject({
      source: { triggerEventId, subjectId: 'build-1', trigger: { kind: 'event_type', eventTypeKey: 'ledger.build-booked' }, templateVersion: 1 },
      metadata: { build_id: 'build-1', component_id: 'c-1' },
      dueDateBasis: { kind: 'subject_date', field: 'event_date', date: '2027-06-12' },
    });
    expect(plan.tasks[1]!.blockedBy).toEqual([plan.tasks[0]!.taskId]);
  });

  it('plans the same ids for the same component of a later version, and falls back to the booking time without an event date', () => {
    const first = planComponentExpansion({ build, component: component(), templates: [edit], calendar: DEFAULT_BUSINESS_CALENDAR });
    const later = planComponentExpansion({ build: { ...build, version: 2, eventDate: null }, component: component(), templates: [edit], calendar: DEFAULT_BUSINESS_CALENDAR });
    expect(later.tasks.map((t) => t.taskId)).toEqual(first.tasks.map((t) => t.taskId));
    expect(later.tasks[0]!.dueDateBasis).toEqual({ kind: 'fallback_trigger_time', missingField: 'event_date' });
    expect(later.warnings).toEqual([{ code: 'subject_date_missing', templateKey: 'edit-film', field: 'event_date' }]);
  });

  it('keeps task names within their bound', () => {
    const long = component({ deliverableName: 'd'.repeat(200) });
    const [task] = planComponentExpansion({ build, component: long, templates: [edit], calendar: DEFAULT_BUSINESS_CALENDAR }).tasks;
    expect(Array.from(task!.name)).toHaveLength(200);
  });
});
