import type { tasksRecipesV1 } from '@projectflo/contracts';
import type { ComponentRecipe } from '@projectflo/task-engine/domain';

export function recipeToProto(recipe: ComponentRecipe): tasksRecipesV1.ComponentRecipe {
  return {
    recipeId: recipe.recipeId,
    name: recipe.name,
    deliverableId: recipe.match.deliverableId,
    sceneId: recipe.match.sceneId ?? '',
    editingStyleId: recipe.match.editingStyleId ?? '',
    templateIds: [...recipe.templateIds],
    revision: recipe.revision,
    retired: recipe.retired,
  };
}
