import type { CommandExecutor } from '@projectflo/platform/service';
import {
  activeTemplateVersion,
  businessCalendarDecider,
  calendarOf,
  planComponentExpansion,
  type PlannedTask,
  TaskEngineStreams,
  taskTemplateDecider,
  type TemplateVersion,
} from '@projectflo/task-engine/domain';
import { permanentOnDomainError } from '../automation/expansion.activities';
import type { BuildExpansionInput, BuildPlanOutcome, BuildPlanWarning } from './build-expansion.types';

export interface BuildExpansionActivityDeps {
  readonly executor: CommandExecutor;
}

/**
 * The planning activity of a build's expansion. Templates are read from their own streams (never a
 * lagging read model), each at its active version now; one retired since the recipe was defined is
 * left out with a warning. A DomainError (a dependency cycle among a recipe's templates) fails the
 * activity for good (permanentOnDomainError, the rule of every expansion).
 */
export function createBuildExpansionActivities(deps: BuildExpansionActivityDeps): { planBuildExpansion(input: BuildExpansionInput): Promise<BuildPlanOutcome> } {
  const { executor } = deps;
  return {
    planBuildExpansion: (input) =>
      permanentOnDomainError(async (): Promise<BuildPlanOutcome> => {
      const { tenantId, build } = input;
      const calendar = calendarOf((await executor.load(businessCalendarDecider, TaskEngineStreams.businessCalendar(tenantId), tenantId)).state);
      const versions = new Map<string, TemplateVersion | undefined>();
      const versionOf = async (templateId: string) => {
        if (!versions.has(templateId)) {
          versions.set(templateId, activeTemplateVersion((await executor.load(taskTemplateDecider, TaskEngineStreams.taskTemplate(templateId), tenantId)).state));
        }
        return versions.get(templateId);
      };
      const tasks: PlannedTask[] = [];
      const warnings: BuildPlanWarning[] = [];
      for (const match of input.matches) {
        const component = input.components.find((c) => c.componentId === match.componentId);
        if (!component) continue;
        const templates: TemplateVersion[] = [];
        for (const templateId of match.templateIds) {
          const version = await versionOf(templateId);
          if (version) templates.push(version);
          else warnings.push({ code: 'template_not_active', componentId: component.componentId, templateId });
        }
        const plan = planComponentExpansion({ build: { ...build, tenantId }, component, templates, calendar });
        tasks.push(...plan.tasks);
        warnings.push(...plan.warnings);
      }
      const templateCount = [...versions.values()].filter((v) => v !== undefined).length;
      return { templateCount, tasks, warnings };
      }),
  };
}
