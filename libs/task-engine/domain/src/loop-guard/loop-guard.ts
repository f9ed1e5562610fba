/**
 * Automation that triggers automation (a task completing moves a lead, the lead's new status
 * expands templates, …) must stop. Two independent limits:
 * - depth: how many automation hops led to this trigger (0 = a person or an external producer);
 *   a trigger at `maxDepth` or deeper is not expanded.
 * - rate: automation-caused triggers (depth ≥ 1) per tenant per minute. Triggers at depth 0 are
 *   never rate-stopped: a bulk import of 500 leads is people's work, not a loop, and dropping its
 *   tasks would lose work.
 */
export const DEFAULT_MAX_AUTOMATION_DEPTH = 3;
export const DEFAULT_MAX_AUTOMATED_TRIGGERS_PER_MINUTE = 60;

export interface LoopGuardInput {
  readonly automationDepth: number;
  readonly maxDepth?: number;
  /** Automation-caused (depth ≥ 1) triggers of this tenant in the last 60 s, excluding this one. */
  readonly recentTriggersForTenant: number;
  readonly maxPerMinute?: number;
}

export type LoopStopReason = 'max_depth' | 'rate_limit';

export type LoopGuardDecision =
  | { readonly kind: 'allow' }
  | { readonly kind: 'stop'; readonly reason: LoopStopReason; readonly detail: string };

export function loopGuard(input: LoopGuardInput): LoopGuardDecision {
  const maxDepth = input.maxDepth ?? DEFAULT_MAX_AUTOMATION_DEPTH;
  const maxPerMinute = input.maxPerMinute ?? DEFAULT_MAX_AUTOMATED_TRIGGERS_PER_MINUTE;
  const depth = Math.max(0, Math.trunc(input.automationDepth));
  if (depth >= maxDepth) {
    return { kind: 'stop', reason: 'max_depth', detail: `automation depth ${depth} reached the limit of ${maxDepth}` };
  }
  if (depth > 0 && input.recentTriggersForTenant >= maxPerMinute) {
    return {
      kind: 'stop',
      reason: 'rate_limit',
      detail: `${input.recentTriggersForTenant} automated triggers in the last minute reached the limit of ${maxPerMinute}`,
    };
  }
  return { kind: 'allow' };
}
