export interface SampleActivityDeps {
  /** Every call the activity received, in order: the test checks one call per task id. */
  readonly calls: string[];
}

export function createSampleActivities(deps: SampleActivityDeps) {
  return {
    async createTask(taskId: string): Promise<string> {
      deps.calls.push(taskId);
      return taskId;
    },
  };
}

export type SampleActivities = ReturnType<typeof createSampleActivities>;
