// Workflows whose inputs, results and failures carry personal data: payload-encryption.int.spec.ts
// checks that none of it reaches the server's history in plaintext.
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { SensitiveActivities } from './sensitive.activities';

const { greet, refuse } = proxyActivities<SensitiveActivities>({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 1 } });

export async function greetWorkflow(name: string): Promise<string> {
  return greet(name);
}

/** Fails in an activity (its error message names the person), then in the workflow itself. */
export async function refuseWorkflow(name: string): Promise<never> {
  try {
    await refuse(name);
  } catch (error) {
    throw ApplicationFailure.nonRetryable(`the workflow gave up on ${name}`, 'Refused', { name, cause: String(error) });
  }
  throw ApplicationFailure.nonRetryable('unreachable');
}
