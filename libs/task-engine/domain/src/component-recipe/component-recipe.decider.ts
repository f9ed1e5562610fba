import { assertNever, DomainError, DomainErrorCode, defineDecider, Violations } from '@projectflo/platform/core';
import { LIMITS } from '../shared/text-limits';
import { toInstantString } from '../shared/time';
import type { ComponentRecipeCommand, DefineComponentRecipe, RetireComponentRecipe } from './component-recipe.commands';
import type { ComponentRecipeEvent, RecipeMatch } from './component-recipe.events';

/** Bounds of the tenant's recipe book (one stream per tenant). */
export const RECIPE_LIMITS = {
  /** Recipes one tenant may define, retired ones included (they stay in the book). */
  recipes: 500,
  templatesPerRecipe: 20,
  name: LIMITS.name,
  reason: LIMITS.reason,
  id: LIMITS.id,
} as const;

export interface ComponentRecipe {
  readonly recipeId: string;
  readonly revision: number;
  readonly name: string;
  readonly match: RecipeMatch;
  readonly templateIds: readonly string[];
  readonly retired: boolean;
}

/** The tenant's recipe book: every recipe it defined, by id. */
export interface RecipeBookState {
  readonly recipes: Readonly<Record<string, ComponentRecipe>>;
}

export const initialRecipeBookState = (): RecipeBookState => ({ recipes: {} });

export function evolveRecipeBook(state: RecipeBookState, event: ComponentRecipeEvent): RecipeBookState {
  switch (event.type) {
    case 'ComponentRecipeDefined': {
      const { recipeId, revision, name, match, templateIds } = event.data;
      return { recipes: { ...state.recipes, [recipeId]: { recipeId, revision, name, match, templateIds, retired: false } } };
    }
    case 'ComponentRecipeRetired': {
      const recipe = state.recipes[event.data.recipeId];
      return recipe ? { recipes: { ...state.recipes, [recipe.recipeId]: { ...recipe, retired: true } } } : state;
    }
    default:
      return assertNever(event, 'component recipe event');
  }
}

const sameMatch = (a: RecipeMatch, b: RecipeMatch) => a.deliverableId === b.deliverableId && a.sceneId === b.sceneId && a.editingStyleId === b.editingStyleId;
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function validateDefine(data: DefineComponentRecipe['data']) {
  const v = new Violations();
  const d = (data ?? {}) as Partial<DefineComponentRecipe['data']>;
  const recipeId = v.uuid('recipeId', d.recipeId);
  const name = v.text('name', d.name, { required: true, max: RECIPE_LIMITS.name });
  const m = (d.match ?? {}) as Partial<RecipeMatch>;
  const match: RecipeMatch = {
    deliverableId: v.identifier('match.deliverableId', m.deliverableId, RECIPE_LIMITS.id),
    sceneId: m.sceneId === null || m.sceneId === undefined || m.sceneId === '' ? null : v.identifier('match.sceneId', m.sceneId, RECIPE_LIMITS.id),
    editingStyleId:
      m.editingStyleId === null || m.editingStyleId === undefined || m.editingStyleId === '' ? null : v.identifier('match.editingStyleId', m.editingStyleId, RECIPE_LIMITS.id),
  };
  const templateIds = v.uuidList('templateIds', d.templateIds, RECIPE_LIMITS.templatesPerRecipe);
  if (Array.isArray(d.templateIds) && d.templateIds.length === 0) v.add('templateIds', 'must name at least one task template');
  v.throwIfAny();
  return { recipeId, name, match, templateIds };
}

function decideDefine(command: DefineComponentRecipe, state: RecipeBookState): ComponentRecipeEvent[] {
  const { metadata } = command;
  const { recipeId, name, match, templateIds } = validateDefine(command.data);
  const existing = state.recipes[recipeId];
  const rival = Object.values(state.recipes).find((r) => r.recipeId !== recipeId && !r.retired && sameMatch(r.match, match));
  if (rival) {
    throw new DomainError(DomainErrorCode.AlreadyExists, `recipe ${rival.recipeId} already matches this deliverable, scene and editing style`, [], {
      recipeId: rival.recipeId,
    });
  }
  if (existing && !existing.retired && existing.name === name && sameMatch(existing.match, match) && sameList(existing.templateIds, templateIds)) return [];
  if (!existing && Object.keys(state.recipes).length >= RECIPE_LIMITS.recipes) {
    throw DomainError.precondition(`a tenant may define at most ${RECIPE_LIMITS.recipes} component recipes`, { limit: RECIPE_LIMITS.recipes });
  }
  return [
    {
      type: 'ComponentRecipeDefined',
      data: {
        tenantId: metadata.tenantId,
        recipeId,
        revision: (existing?.revision ?? 0) + 1,
        name,
        match,
        templateIds,
        definedBy: metadata.actorId,
        definedAt: toInstantString(metadata.now),
      },
    },
  ];
}

function decideRetire(command: RetireComponentRecipe, state: RecipeBookState): ComponentRecipeEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const recipeId = v.uuid('recipeId', data?.recipeId);
  const reason = v.optionalText('reason', data?.reason, { max: RECIPE_LIMITS.reason });
  v.throwIfAny();
  const recipe = state.recipes[recipeId];
  if (!recipe) throw DomainError.notFound('component recipe', recipeId);
  if (recipe.retired) throw DomainError.precondition(`component recipe ${recipeId} is already retired`, { recipeId });
  return [
    {
      type: 'ComponentRecipeRetired',
      data: { tenantId: metadata.tenantId, recipeId, revision: recipe.revision, reason, retiredBy: metadata.actorId, retiredAt: toInstantString(metadata.now) },
    },
  ];
}

/**
 * The tenant's component task recipes (source document 001's component_task_recipes): one stream
 * per tenant, so "one active recipe per (deliverable, scene, editing style)" is decided on one
 * state. Defining an existing id revises it (a retired one comes back); the same content again is
 * a no-op.
 */
export const recipeBookDecider = defineDecider<RecipeBookState, ComponentRecipeCommand, ComponentRecipeEvent>({
  aggregate: 'component recipe book',
  schemaVersions: { ComponentRecipeDefined: 1, ComponentRecipeRetired: 1 },
  initialState: initialRecipeBookState,
  evolve: evolveRecipeBook,
  decide(command, state) {
    switch (command.type) {
      case 'DefineComponentRecipe':
        return decideDefine(command, state);
      case 'RetireComponentRecipe':
        return decideRetire(command, state);
      default:
        return assertNever(command, 'component recipe command');
    }
  },
});

/**
 * The stream of a tenant's recipe book. Not on a Kafka topic (the relay skips streams its topic map
 * does not name): the recipes are the task-engine's own configuration, which no other context reads.
 */
export const recipeBookStream = (tenantId: string): string => `component-recipes-${tenantId}`;
