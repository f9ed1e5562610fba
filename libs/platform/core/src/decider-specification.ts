import { deepStrictEqual, fail } from 'node:assert/strict';
import type { Command, Decider } from './decider';
import { DomainError, DomainErrorCode } from './errors';
import type { DomainEvent } from './events';

/**
 * Decider tests that read as specifications:
 *
 *   spec.given([leadCaptured]).when(changeStatus).then([statusChanged]);
 *   spec.given([]).when(changeStatus).thenThrows(DomainErrorCode.NotFound);
 */
export function deciderSpecification<S, C extends Command, E extends DomainEvent>(decider: Pick<Decider<S, C, E>, 'initialState' | 'evolve' | 'decide'>) {
  return {
    given(events: readonly E[]) {
      return {
        when(command: C) {
          const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
          return {
            then(expected: readonly E[]): void {
              deepStrictEqual(run(), expected);
            },
            /** Asserts the decision fails with this error code (and, if given, these violated fields). */
            thenThrows(code: DomainErrorCode, fields?: readonly string[]): DomainError {
              try {
                const produced = run();
                return fail(`expected ${code}, but the decider produced ${JSON.stringify(produced)}`);
              } catch (error) {
                if (!(error instanceof DomainError)) throw error;
                deepStrictEqual(error.code, code, error.message);
                if (fields) deepStrictEqual(error.fieldViolations.map((v) => v.field).sort(), [...fields].sort());
                return error;
              }
            },
          };
        },
      };
    },
  };
}
