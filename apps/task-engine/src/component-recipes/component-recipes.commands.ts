import { Injectable } from '@nestjs/common';
import type { tasksRecipesV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { type CommandContext, expectedVersion, list, text, uuid, validate } from '@projectflo/platform/grpc';
import { type CommandIntent, CommandExecutor } from '@projectflo/platform/service';
import {
  type ComponentRecipeCommand,
  RECIPE_LIMITS,
  recipeBookDecider,
  recipeBookStream,
  TaskEngineStreams,
  taskTemplateDecider,
} from '@projectflo/task-engine/domain';
import { z } from 'zod';
import { recipeToProto } from './component-recipes.mapping';

/** Ids chosen by build-ledger's catalog: compared exactly, so no whitespace (as the decider's identifier rule). */
const ID_RULE = { pattern: /^\S*$/, patternDescription: 'must not contain whitespace' };
const optionalId = text(RECIPE_LIMITS.id, ID_RULE);
const defineRequest = z.object({
  recipe: z.object({
    recipeId: uuid,
    name: text(RECIPE_LIMITS.name, { required: true }),
    deliverableId: text(RECIPE_LIMITS.id, { required: true, ...ID_RULE }),
    sceneId: optionalId,
    editingStyleId: optionalId,
    templateIds: list(uuid, RECIPE_LIMITS.templatesPerRecipe)
      .refine((ids) => ids.length > 0, 'must name at least one task template')
      .refine((ids) => new Set(ids).size === ids.length, 'must not name a template twice'),
  }),
  expectedVersion,
});
const retireRequest = z.object({ recipeId: uuid, reason: text(RECIPE_LIMITS.reason), expectedVersion });

/**
 * The tenant's component task recipes (one recipe book stream per tenant). A recipe names task
 * templates that must be active when it is defined (an unknown one NOT_FOUND, a retired one
 * FAILED_PRECONDITION); one retired later is left out of later expansions.
 */
@Injectable()
export class ComponentRecipeCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async define(ctx: CommandContext, request: tasksRecipesV1.DefineComponentRecipeRequest): Promise<tasksRecipesV1.DefineComponentRecipeResponse> {
    const { recipe, expectedVersion: version } = validate(defineRequest, request);
    for (const templateId of recipe.templateIds) {
      const template = await this.executor.load(taskTemplateDecider, TaskEngineStreams.taskTemplate(templateId), ctx.tenantId);
      if (template.state.status === 'none') throw DomainError.notFound('task template', templateId);
      if (template.state.status === 'retired') throw DomainError.precondition(`task template ${templateId} is retired`, { templateId });
    }
    const match = { deliverableId: recipe.deliverableId, sceneId: recipe.sceneId || null, editingStyleId: recipe.editingStyleId || null };
    const command = { type: 'DefineComponentRecipe', data: { recipeId: recipe.recipeId, name: recipe.name, match, templateIds: recipe.templateIds } } as const;
    return this.run(ctx, recipe.recipeId, command, version);
  }

  async retire(ctx: CommandContext, request: tasksRecipesV1.RetireComponentRecipeRequest): Promise<tasksRecipesV1.RetireComponentRecipeResponse> {
    const { recipeId, reason, expectedVersion: version } = validate(retireRequest, request);
    return this.run(ctx, recipeId, { type: 'RetireComponentRecipe', data: { recipeId, reason: reason === '' ? null : reason } }, version);
  }

  private async run(ctx: CommandContext, recipeId: string, command: CommandIntent<ComponentRecipeCommand>, expectedVersion?: number) {
    const result = await this.executor.run(recipeBookDecider, recipeBookStream(ctx.tenantId), command, { context: ctx, expectedVersion });
    const recipe = result.state.recipes[recipeId];
    if (!recipe) throw DomainError.notFound('component recipe', recipeId);
    return { recipe: recipeToProto(recipe), version: String(result.version) };
  }
}
