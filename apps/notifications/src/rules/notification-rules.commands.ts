import type { Command } from '@projectflo/platform/core';
import type { NotificationRuleDefinition } from './notification-rules.events';

/** The rule as a command carries it, before the decider checks it. */
export type RuleInput = { readonly [K in keyof NotificationRuleDefinition]: unknown };

export type DefineNotificationRule = Command<'DefineNotificationRule', { readonly ruleId: string; readonly rule: RuleInput }>;
export type ChangeNotificationRule = Command<'ChangeNotificationRule', { readonly ruleId: string; readonly rule: RuleInput }>;
export type RemoveNotificationRule = Command<'RemoveNotificationRule', { readonly ruleId: string }>;

export type NotificationRuleCommand = DefineNotificationRule | ChangeNotificationRule | RemoveNotificationRule;
