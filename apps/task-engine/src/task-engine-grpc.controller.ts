import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { tasksV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { idRequestSchema, queryContext, unimplemented, validate } from '@projectflo/platform/grpc';

/**
 * The gRPC edge of task-engine: one method per RPC of TaskEngineService, each its decorators plus one call.
 * RPCs whose handlers are not wired yet answer UNIMPLEMENTED; wiring one means replacing its stub
 * with a call into the application layer (see libs/platform/grpc/README.md).
 */
@Controller()
@tasksV1.TaskEngineServiceControllerMethods()
export class TaskEngineGrpcController implements tasksV1.TaskEngineServiceController {
  defineEventType(): never {
    return unimplemented('DefineEventType');
  }

  /** No read model is wired yet, so no event types are defined. */
  listEventTypes(_request: tasksV1.ListEventTypesRequest, metadata?: Metadata): tasksV1.ListEventTypesResponse {
    queryContext(metadata);
    return { eventTypes: [] };
  }

  ingestExternalEvent(): never {
    return unimplemented('IngestExternalEvent');
  }

  createTaskTemplate(): never {
    return unimplemented('CreateTaskTemplate');
  }

  reviseTaskTemplate(): never {
    return unimplemented('ReviseTaskTemplate');
  }

  retireTaskTemplate(): never {
    return unimplemented('RetireTaskTemplate');
  }

  listTemplatesByTrigger(): never {
    return unimplemented('ListTemplatesByTrigger');
  }

  getTaskTemplateHistory(): never {
    return unimplemented('GetTaskTemplateHistory');
  }

  getTask(request: tasksV1.GetTaskRequest, metadata?: Metadata): never {
    queryContext(metadata);
    throw DomainError.notFound('task', validate(idRequestSchema('taskId'), request).taskId);
  }

  listTasks(): never {
    return unimplemented('ListTasks');
  }

  startTask(): never {
    return unimplemented('StartTask');
  }

  changeTaskStatus(): never {
    return unimplemented('ChangeTaskStatus');
  }

  completeChecklistItem(): never {
    return unimplemented('CompleteChecklistItem');
  }

  addTaskComment(): never {
    return unimplemented('AddTaskComment');
  }

  reassignTask(): never {
    return unimplemented('ReassignTask');
  }

  rescheduleTask(): never {
    return unimplemented('RescheduleTask');
  }

  logTaskHours(): never {
    return unimplemented('LogTaskHours');
  }

  getTaskHistory(): never {
    return unimplemented('GetTaskHistory');
  }
}
