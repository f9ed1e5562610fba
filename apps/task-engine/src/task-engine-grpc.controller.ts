import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { type tasksRecipesV1, tasksV1 } from '@projectflo/contracts';
import { commandContext, queryContext } from '@projectflo/platform/grpc';
import { ExpansionOutcomeQueries } from './automation/expansion-outcome.queries';
import { BusinessCalendarCommands } from './business-calendar/business-calendar.commands';
import { ComponentRecipeCommands } from './component-recipes/component-recipes.commands';
import { ComponentRecipeQueries } from './component-recipes/component-recipes.queries';
import { EventTypeCommands } from './event-types/event-types.commands';
import { EventTypeQueries } from './event-types/event-types.queries';
import { ExternalEventCommands } from './external-events/external-events.commands';
import { TaskCommands } from './tasks/tasks.commands';
import { TaskQueries } from './tasks/tasks.queries';
import { TemplateCommands } from './templates/templates.commands';
import { TemplateQueries } from './templates/templates.queries';

/** The gRPC edge of the task-engine: one method per RPC of TaskEngineService, each its context plus one call. */
@Controller()
@tasksV1.TaskEngineServiceControllerMethods()
export class TaskEngineGrpcController implements tasksV1.TaskEngineServiceController {
  constructor(
    private readonly eventTypes: EventTypeCommands,
    private readonly eventTypeQueries: EventTypeQueries,
    private readonly externalEvents: ExternalEventCommands,
    private readonly templates: TemplateCommands,
    private readonly templateQueries: TemplateQueries,
    private readonly tasks: TaskCommands,
    private readonly taskQueries: TaskQueries,
    private readonly calendar: BusinessCalendarCommands,
    private readonly recipes: ComponentRecipeCommands,
    private readonly recipeQueries: ComponentRecipeQueries,
    private readonly expansionOutcomes: ExpansionOutcomeQueries,
  ) {}

  defineEventType(request: tasksV1.DefineEventTypeRequest, metadata?: Metadata) {
    return this.eventTypes.define(commandContext(metadata, request), request);
  }

  listEventTypes(request: tasksV1.ListEventTypesRequest, metadata?: Metadata) {
    return this.eventTypeQueries.list(queryContext(metadata), request);
  }

  ingestExternalEvent(request: tasksV1.IngestExternalEventRequest, metadata?: Metadata) {
    return this.externalEvents.ingestRequest(commandContext(metadata, request), request);
  }

  createTaskTemplate(request: tasksV1.CreateTaskTemplateRequest, metadata?: Metadata) {
    return this.templates.create(commandContext(metadata, request), request);
  }

  reviseTaskTemplate(request: tasksV1.ReviseTaskTemplateRequest, metadata?: Metadata) {
    return this.templates.revise(commandContext(metadata, request), request);
  }

  retireTaskTemplate(request: tasksV1.RetireTaskTemplateRequest, metadata?: Metadata) {
    return this.templates.retire(commandContext(metadata, request), request);
  }

  listTemplatesByTrigger(request: tasksV1.ListTemplatesByTriggerRequest, metadata?: Metadata) {
    return this.templateQueries.listByTrigger(queryContext(metadata), request);
  }

  getTaskTemplateHistory(request: tasksV1.GetTaskTemplateHistoryRequest, metadata?: Metadata) {
    return this.templateQueries.history(queryContext(metadata), request);
  }

  getTask(request: tasksV1.GetTaskRequest, metadata?: Metadata) {
    return this.taskQueries.get(queryContext(metadata), request);
  }

  listTasks(request: tasksV1.ListTasksRequest, metadata?: Metadata) {
    return this.taskQueries.list(queryContext(metadata), request);
  }

  startTask(request: tasksV1.StartTaskRequest, metadata?: Metadata) {
    return this.tasks.start(commandContext(metadata, request), request);
  }

  changeTaskStatus(request: tasksV1.ChangeTaskStatusRequest, metadata?: Metadata) {
    return this.tasks.changeStatus(commandContext(metadata, request), request);
  }

  completeChecklistItem(request: tasksV1.CompleteChecklistItemRequest, metadata?: Metadata) {
    return this.tasks.completeChecklistItem(commandContext(metadata, request), request);
  }

  addTaskComment(request: tasksV1.AddTaskCommentRequest, metadata?: Metadata) {
    return this.tasks.addComment(commandContext(metadata, request), request);
  }

  reassignTask(request: tasksV1.ReassignTaskRequest, metadata?: Metadata) {
    return this.tasks.reassign(commandContext(metadata, request), request);
  }

  rescheduleTask(request: tasksV1.RescheduleTaskRequest, metadata?: Metadata) {
    return this.tasks.reschedule(commandContext(metadata, request), request);
  }

  logTaskHours(request: tasksV1.LogTaskHoursRequest, metadata?: Metadata) {
    return this.tasks.logHours(commandContext(metadata, request), request);
  }

  getTaskHistory(request: tasksV1.GetTaskHistoryRequest, metadata?: Metadata) {
    return this.taskQueries.history(queryContext(metadata), request);
  }

  setBusinessCalendar(request: tasksV1.SetBusinessCalendarRequest, metadata?: Metadata) {
    return this.calendar.set(commandContext(metadata, request), request);
  }

  getBusinessCalendar(_request: tasksV1.GetBusinessCalendarRequest, metadata?: Metadata) {
    return this.calendar.get(queryContext(metadata));
  }

  defineComponentRecipe(request: tasksRecipesV1.DefineComponentRecipeRequest, metadata?: Metadata) {
    return this.recipes.define(commandContext(metadata, request), request);
  }

  retireComponentRecipe(request: tasksRecipesV1.RetireComponentRecipeRequest, metadata?: Metadata) {
    return this.recipes.retire(commandContext(metadata, request), request);
  }

  listComponentRecipes(request: tasksRecipesV1.ListComponentRecipesRequest, metadata?: Metadata) {
    return this.recipeQueries.list(queryContext(metadata), request);
  }

  listBuildExpansions(request: tasksRecipesV1.ListBuildExpansionsRequest, metadata?: Metadata) {
    return this.recipeQueries.listBuildExpansions(queryContext(metadata), request);
  }

  getExpansionOutcome(request: tasksV1.GetExpansionOutcomeRequest, metadata?: Metadata) {
    return this.expansionOutcomes.get(queryContext(metadata), request);
  }
}
