import type { DomainEvent } from '@projectflo/platform/core';

/**
 * What a recipe matches: a component of this deliverable, and, when set, of this scene and this
 * editing style (null matches any). The most specific active recipe wins (matchRecipe).
 */
export interface RecipeMatch {
  readonly deliverableId: string;
  readonly sceneId: string | null;
  readonly editingStyleId: string | null;
}

/** A recipe defined, or redefined (a new revision with the full new content; a retired one is reinstated). */
export type ComponentRecipeDefined = DomainEvent<
  'ComponentRecipeDefined',
  {
    readonly tenantId: string;
    readonly recipeId: string;
    readonly revision: number;
    readonly name: string;
    readonly match: RecipeMatch;
    /** The task templates a matching component expands, each at its current active version when a build is booked. */
    readonly templateIds: readonly string[];
    readonly definedBy: string;
    readonly definedAt: string;
  }
>;

export type ComponentRecipeRetired = DomainEvent<
  'ComponentRecipeRetired',
  {
    readonly tenantId: string;
    readonly recipeId: string;
    readonly revision: number;
    readonly reason: string | null;
    readonly retiredBy: string;
    readonly retiredAt: string;
  }
>;

export type ComponentRecipeEvent = ComponentRecipeDefined | ComponentRecipeRetired;
