import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { tasksRecipesV1 } from '@projectflo/contracts';
import { type RequestContext, text, toTimestamp, validate } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { CommandExecutor, MIKRO_ORM } from '@projectflo/platform/service';
import { RECIPE_LIMITS, recipeBookDecider, recipeBookStream } from '@projectflo/task-engine/domain';
import { z } from 'zod';
import { recipeToProto } from './component-recipes.mapping';

const listExpansionsRequest = z.object({ buildId: text(RECIPE_LIMITS.id, { required: true }) });

interface BuildExpansionRow extends Record<string, unknown> {
  build_id: string;
  build_version: number;
  outcome: 'requested' | 'no_recipe';
  workflow_id: string | null;
  matched_component_ids: string[];
  unmatched_component_ids: string[];
  recorded_at: Date;
}

const OUTCOMES = {
  requested: tasksRecipesV1.BuildExpansionOutcome.BUILD_EXPANSION_OUTCOME_REQUESTED,
  no_recipe: tasksRecipesV1.BuildExpansionOutcome.BUILD_EXPANSION_OUTCOME_NO_RECIPE,
} as const;

const order = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');

/** The tenant's recipes, folded from its recipe book stream (the one place they live), and what each booking expanded. */
@Injectable()
export class ComponentRecipeQueries {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
  ) {}

  async list(ctx: RequestContext, request: tasksRecipesV1.ListComponentRecipesRequest): Promise<tasksRecipesV1.ListComponentRecipesResponse> {
    const { state, version } = await this.executor.load(recipeBookDecider, recipeBookStream(ctx.tenantId), ctx.tenantId);
    const recipes = Object.values(state.recipes)
      .filter((r) => request.includeRetired === true || !r.retired)
      .sort(
        (a, b) =>
          order(a.match.deliverableId, b.match.deliverableId) ||
          order(a.match.sceneId, b.match.sceneId) ||
          order(a.match.editingStyleId, b.match.editingStyleId) ||
          order(a.recipeId, b.recipeId),
      );
    return { recipes: recipes.map(recipeToProto), version: String(version) };
  }

  async listBuildExpansions(ctx: RequestContext, request: tasksRecipesV1.ListBuildExpansionsRequest): Promise<tasksRecipesV1.ListBuildExpansionsResponse> {
    const { buildId } = validate(listExpansionsRequest, request);
    const rows = await withTenantScope(this.orm, ctx.tenantId, (tx) =>
      tx.query<BuildExpansionRow>(
        `SELECT build_id, build_version, outcome, workflow_id, matched_component_ids, unmatched_component_ids, recorded_at
           FROM build_expansions WHERE tenant_id = $1 AND build_id = $2 ORDER BY build_version`,
        [ctx.tenantId, buildId],
      ),
    );
    return {
      expansions: rows.map((r) => ({
        buildId: r.build_id,
        buildVersion: r.build_version,
        outcome: OUTCOMES[r.outcome],
        workflowId: r.workflow_id ?? '',
        matchedComponentIds: r.matched_component_ids,
        unmatchedComponentIds: r.unmatched_component_ids,
        recordedAt: toTimestamp(r.recorded_at),
      })),
    };
  }
}
