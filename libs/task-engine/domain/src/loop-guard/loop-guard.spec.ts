import { loopGuard } from './loop-guard';

describe('loop guard', () => {
  it('allows people and shallow automation', () => {
    expect(loopGuard({ automationDepth: 0, recentTriggersForTenant: 0 })).toEqual({ kind: 'allow' });
    expect(loopGuard({ automationDepth: 2, recentTriggersForTenant: 59 })).toEqual({ kind: 'allow' });
  });

  it('stops at the maximum depth', () => {
    expect(loopGuard({ automationDepth: 3, recentTriggersForTenant: 0 })).toEqual({
      kind: 'stop',
      reason: 'max_depth',
      detail: 'automation depth 3 reached the limit of 3',
    });
    expect(loopGuard({ automationDepth: 1, maxDepth: 1, recentTriggersForTenant: 0 })).toMatchObject({ kind: 'stop', reason: 'max_depth' });
  });

  it('stops automation over the per-tenant rate', () => {
    expect(loopGuard({ automationDepth: 1, recentTriggersForTenant: 60 })).toMatchObject({ kind: 'stop', reason: 'rate_limit' });
    expect(loopGuard({ automationDepth: 1, recentTriggersForTenant: 9, maxPerMinute: 10 })).toEqual({ kind: 'allow' });
  });

  it('never rate-stops what people and external producers start (depth 0): a bulk import is not a loop', () => {
    expect(loopGuard({ automationDepth: 0, recentTriggersForTenant: 10_000 })).toEqual({ kind: 'allow' });
  });
});
