import { deriveId } from '@projectflo/platform/core';
import type { BusinessCalendar } from '../expansion/business-calendar';
import { type ExpansionPlan, type ExpansionTrigger, planExpansion } from '../expansion/expansion.planner';
import { LIMITS } from '../shared/text-limits';
import type { TemplateTrigger, TemplateVersion } from '../task-template/task-template.definition';
import type { ComponentRecipe, RecipeBookState } from './component-recipe.decider';

/** A booked component as BuildBooked carries it (ledger.build.v1), the fields a recipe reads. */
export interface BookedComponent {
  readonly componentId: string;
  readonly deliverableId: string;
  readonly deliverableName: string;
  readonly sceneId: string;
  readonly sceneName: string;
  readonly editingStyleId: string;
  readonly editingStyleName: string;
  readonly targetMinutes: number;
}

/** The booking a component belongs to. */
export interface BookedBuild {
  readonly tenantId: string;
  readonly buildId: string;
  readonly version: number;
  /** YYYY-MM-DD: templates anchored on the subject date `event_date` are due relative to it. */
  readonly eventDate: string | null;
  /** ISO-8601 instant: the anchor of "trigger time" due offsets. */
  readonly bookedAt: string;
}

/**
 * The trigger every recipe's templates are planned under: the build's booking. A template keeps
 * its own trigger for its own automation; expanded by a recipe, its tasks name this one (the
 * task-engine's tasks know two trigger kinds: a booking is an event of type `ledger.build-booked`).
 */
export const BUILD_BOOKED_TRIGGER: TemplateTrigger = { kind: 'event_type', eventTypeKey: 'ledger.build-booked' };

/** The subject date field of the build's event day (a template's due offset anchors on it). */
export const BUILD_EVENT_DATE_FIELD = 'event_date';

/**
 * How specific a recipe is: scene and editing style both named, then the scene alone, then the
 * editing style alone, then the deliverable alone. The book keeps one active recipe per match, so
 * the most specific match of a component is unique.
 */
function specificity(recipe: ComponentRecipe): number {
  return (recipe.match.sceneId !== null ? 2 : 0) + (recipe.match.editingStyleId !== null ? 1 : 0);
}

/** The active recipe a component expands: the most specific one matching its deliverable, scene and style; undefined when none does. */
export function matchRecipe(book: RecipeBookState, component: Pick<BookedComponent, 'deliverableId' | 'sceneId' | 'editingStyleId'>): ComponentRecipe | undefined {
  let best: ComponentRecipe | undefined;
  for (const recipe of Object.values(book.recipes)) {
    const { deliverableId, sceneId, editingStyleId } = recipe.match;
    if (recipe.retired || deliverableId !== component.deliverableId) continue;
    if (sceneId !== null && sceneId !== component.sceneId) continue;
    if (editingStyleId !== null && editingStyleId !== component.editingStyleId) continue;
    if (!best || specificity(recipe) > specificity(best)) best = recipe;
  }
  return best;
}

export interface ComponentMatch {
  readonly componentId: string;
  readonly recipeId: string;
  readonly recipeRevision: number;
  readonly templateIds: readonly string[];
}

/** Which components of a booking a recipe covers, in the booking's order, and which none does. */
export function matchComponents(book: RecipeBookState, components: readonly BookedComponent[]): { matched: ComponentMatch[]; unmatched: string[] } {
  const matched: ComponentMatch[] = [];
  const unmatched: string[] = [];
  for (const component of components) {
    const recipe = matchRecipe(book, component);
    if (recipe) matched.push({ componentId: component.componentId, recipeId: recipe.recipeId, recipeRevision: recipe.revision, templateIds: recipe.templateIds });
    else unmatched.push(component.componentId);
  }
  return { matched, unmatched };
}

/**
 * The trigger event id of one component of a build: not of the version, so booking a changed build
 * again plans the same task ids for the components it kept (they already exist: nothing twice) and
 * new ones for what the change order added.
 */
export function buildComponentTriggerEventId(tenantId: string, buildId: string, componentId: string): string {
  return deriveId('build-component', tenantId, buildId, componentId);
}

/** `name · deliverable / scene / style`, cut to the task name's bound (code points). */
function componentTaskName(name: string, component: BookedComponent): string {
  const full = `${name} · ${component.deliverableName} / ${component.sceneName} / ${component.editingStyleName}`;
  const points = Array.from(full);
  return points.length <= LIMITS.name ? full : points.slice(0, LIMITS.name).join('');
}

/** The template's metadata plus `build_id` and `component_id`, unless that would pass the bound on entries (then as the template has it). */
function withBuildKeys(metadata: Readonly<Record<string, string>>, buildId: string, componentId: string): Readonly<Record<string, string>> {
  const merged = { ...metadata, build_id: buildId, component_id: componentId };
  return Object.keys(merged).length <= LIMITS.metadataEntries ? merged : metadata;
}

export interface PlanComponentInput {
  readonly build: BookedBuild;
  readonly component: BookedComponent;
  /** The active versions of the matched recipe's templates (retired or unknown ones left out). */
  readonly templates: readonly TemplateVersion[];
  readonly calendar: BusinessCalendar;
}

/**
 * The tasks of one component: its recipe's templates planned by the expansion planner (due dates,
 * dependencies and parents among them) under the booking's trigger, the build as subject and its
 * event date as the subject date `event_date`. Pure: the same input gives the same plan, ids included.
 */
export function planComponentExpansion(input: PlanComponentInput): ExpansionPlan {
  const { build, component, calendar } = input;
  const trigger: ExpansionTrigger = {
    ...BUILD_BOOKED_TRIGGER,
    triggerEventId: buildComponentTriggerEventId(build.tenantId, build.buildId, component.componentId),
    occurredAt: build.bookedAt,
    subjectId: build.buildId,
    subject: { assigneeId: null, dates: build.eventDate ? { [BUILD_EVENT_DATE_FIELD]: build.eventDate } : {} },
  };
  const templates = input.templates.map((t) => ({ ...t, definition: { ...t.definition, trigger: BUILD_BOOKED_TRIGGER } }));
  const plan = planExpansion({ tenantId: build.tenantId, trigger, templates, calendar });
  return {
    ...plan,
    tasks: plan.tasks.map((task) => ({
      ...task,
      name: componentTaskName(task.name, component),
      metadata: withBuildKeys(task.metadata, build.buildId, component.componentId),
    })),
  };
}
