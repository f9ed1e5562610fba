import type { Command } from '@projectflo/platform/core';
import type { RecipeMatch } from './component-recipe.events';

export type DefineComponentRecipe = Command<
  'DefineComponentRecipe',
  {
    readonly recipeId: string;
    readonly name: string;
    readonly match: RecipeMatch;
    readonly templateIds: readonly string[];
  }
>;

export type RetireComponentRecipe = Command<'RetireComponentRecipe', { readonly recipeId: string; readonly reason?: string | null }>;

export type ComponentRecipeCommand = DefineComponentRecipe | RetireComponentRecipe;
