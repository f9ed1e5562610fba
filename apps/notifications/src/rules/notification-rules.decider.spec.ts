import { type CommandMetadata, deciderSpecification, DomainErrorCode, foldState } from '@projectflo/platform/core';
import type { NotificationRuleCommand, RuleInput } from './notification-rules.commands';
import { notificationRulesDecider, RULE_LIMITS, rulesOf, windowMs } from './notification-rules.decider';
import type { NotificationRuleDefined, NotificationRuleDefinition, NotificationRuleEvent } from './notification-rules.events';

const TENANT = 'tenant-a';
const ACTOR = 'user-manager';
const NOW = '2026-06-01T09:00:00.000Z';
const RULE = 'rule-1';
const meta = (): CommandMetadata => ({ tenantId: TENANT, actorId: ACTOR, actorKind: 'user', requestId: 'request-1', now: new Date(NOW) });

const rule: NotificationRuleDefinition = {
  name: 'Due soon',
  trigger: 'reminder_due',
  templateKey: 'wedding-prep',
  channel: 'email',
  recipients: [{ kind: 'assignee' }, { kind: 'role', role: 'Manager' }],
  subject: '{{task.name}} is due {{task.dueAt}}',
  body: 'Hi {{recipient.name}}, {{task.name}} for {{contact.name}} is due {{task.dueAt}}.',
  critical: false,
  smsFallbackToEmail: false,
  digestWindow: null,
  throttle: null,
};

const define = (input: RuleInput = rule, ruleId = RULE): NotificationRuleCommand => ({ type: 'DefineNotificationRule', data: { ruleId, rule: input }, metadata: meta() });
const change = (input: RuleInput, ruleId = RULE): NotificationRuleCommand => ({ type: 'ChangeNotificationRule', data: { ruleId, rule: input }, metadata: meta() });
const remove = (ruleId = RULE): NotificationRuleCommand => ({ type: 'RemoveNotificationRule', data: { ruleId }, metadata: meta() });
const defined = (ruleId = RULE, definition: NotificationRuleDefinition = rule): NotificationRuleDefined => ({
  type: 'NotificationRuleDefined',
  data: { tenantId: TENANT, ruleId, ...definition, definedBy: ACTOR, definedAt: NOW },
});

const { given } = deciderSpecification(notificationRulesDecider);

describe('notification rules', () => {
  describe('when the tenant has no rules', () => {
    it('defines a rule, trimmed and without repeated recipients', () => {
      given([])
        .when(define({ ...rule, name: '  Due soon ', recipients: [...rule.recipients, { kind: 'assignee' }] }))
        .then([defined()]);
    });

    it('names every bad field, unknown template variables included', () => {
      given([])
        .when(
          define({
            ...rule,
            name: '',
            trigger: 'task_moved',
            channel: 'fax',
            recipients: [{ kind: 'user' }, { kind: 'role', role: 'Boss' }],
            subject: '{{task.nam}}',
            body: '{{#each x}}{{/each}}',
            templateKey: 'Not A Key',
          }),
        )
        .thenThrows(DomainErrorCode.InvalidArgument, [
          'rule.name',
          'rule.trigger',
          'rule.channel',
          'rule.recipients[0].userId',
          'rule.recipients[1].role',
          'rule.subject',
          'rule.body',
          'rule.templateKey',
        ]);
    });

    it('refuses a rule without recipients and an SMS fallback on another channel', () => {
      given([]).when(define({ ...rule, recipients: [], smsFallbackToEmail: true })).thenThrows(DomainErrorCode.InvalidArgument, ['rule.recipients', 'rule.smsFallbackToEmail']);
    });

    it('keeps a digest window or a throttle, checked, never both', () => {
      given([]).when(define({ ...rule, digestWindow: 'PT1H' })).then([defined(RULE, { ...rule, digestWindow: 'PT1H' })]);
      given([]).when(define({ ...rule, throttle: { limit: 2, window: 'P1D' } })).then([defined(RULE, { ...rule, throttle: { limit: 2, window: 'P1D' } })]);
      given([])
        .when(define({ ...rule, digestWindow: 'P1M', throttle: { limit: 0, window: 'PT0S' } }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['rule.digestWindow', 'rule.throttle.limit', 'rule.throttle.window', 'rule.throttle']);
      given([]).when(define({ ...rule, digestWindow: 'P8D' })).thenThrows(DomainErrorCode.InvalidArgument, ['rule.digestWindow']);
    });

    it('does not know a rule it never defined', () => {
      given([]).when(change(rule)).thenThrows(DomainErrorCode.NotFound);
      given([]).when(remove()).thenThrows(DomainErrorCode.NotFound);
    });
  });

  describe('when a rule is defined', () => {
    it('refuses the same id again', () => {
      given([defined()]).when(define()).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('records a change as the whole rule, and nothing for the same rule', () => {
      given([defined()])
        .when(change({ ...rule, critical: true }))
        .then([{ type: 'NotificationRuleChanged', data: { tenantId: TENANT, ruleId: RULE, ...rule, critical: true, changedBy: ACTOR, changedAt: NOW } }]);
      given([defined()]).when(change({ ...rule, name: ' Due soon' })).then([]);
    });

    it('removes it for good: its id is not reused', () => {
      const removed: NotificationRuleEvent = { type: 'NotificationRuleRemoved', data: { tenantId: TENANT, ruleId: RULE, removedBy: ACTOR, removedAt: NOW } };
      given([defined()]).when(remove()).then([removed]);
      given([defined(), removed]).when(define()).thenThrows(DomainErrorCode.AlreadyExists);
      expect(rulesOf(foldState(notificationRulesDecider, [defined(), defined('rule-2'), removed])).map((r) => r.ruleId)).toEqual(['rule-2']);
    });

    it('keeps the rule with its revision for the trigger consumer', () => {
      const state = foldState(notificationRulesDecider, [defined(), { type: 'NotificationRuleChanged', data: { ...defined().data, critical: true, changedBy: ACTOR, changedAt: NOW } }]);
      expect(rulesOf(state)).toEqual([{ ...rule, critical: true, ruleId: RULE, revision: 2 }]);
    });
  });

  it(`refuses a rule past the tenant's bound of ${RULE_LIMITS.rulesPerTenant}`, () => {
    const full = Array.from({ length: RULE_LIMITS.rulesPerTenant }, (_, i) => defined(`rule-${i}`));
    given(full).when(define(rule, 'one-more')).thenThrows(DomainErrorCode.FailedPrecondition);
  });

  it('reads windows of days, hours, minutes and seconds only', () => {
    expect(['PT1S', 'PT90M', 'P1DT12H', 'P7D'].map(windowMs)).toEqual([1_000, 5_400_000, 129_600_000, 604_800_000]);
    expect(['P1M', 'P1Y', 'P', 'PT', '1D', 'P1W', ''].map(windowMs)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
