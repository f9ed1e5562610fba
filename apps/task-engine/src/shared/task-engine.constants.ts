/** The service's name: its commands' system actor (automationMetadata), its service options. */
export const TASK_ENGINE_SERVICE = 'task-engine';
