// Pure: imported by the workflow (sandbox) and the activities.

/** The one-line summary of an expansion, for people: the Web UI's result and ExpansionFinished.message. */
export function expansionMessage(cancelled: boolean, tasks: number, planned: number, created: number, alreadyExisted: number, warnings: number): string {
  return `${cancelled ? 'cancelled after' : 'expanded'} ${tasks} of ${planned} tasks (${created} created, ${alreadyExisted} already existed, ${warnings} warnings)`;
}
