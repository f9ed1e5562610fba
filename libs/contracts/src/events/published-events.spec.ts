import { z } from 'zod';
import { contractChecks } from './event-contract';
import { calendarDate, instant, jsonObject, list, requiredText, text } from './payload-fields';
import {
  crmEventContractsV1,
  CRM_TOPIC_CONTRACTS_V1,
  notificationsEventContractsV1,
  NOTIFICATIONS_TOPIC_CONTRACTS_V1,
  schedulingEventContractsV1,
  SCHEDULING_TOPIC_CONTRACTS_V1,
  tasksEventContractsV1,
  TASKS_TOPIC_CONTRACTS_V1,
  TOPIC_CONTRACTS_V1,
} from './published-events.v1';

const ok = (schema: z.ZodTypeAny, value: unknown) => schema.safeParse(value).success;

describe('payload fields', () => {
  it('take instants with an offset within 0001-01-01..9999-12-31, and nothing else', () => {
    for (const v of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2025-06-14T11:30:00+02:00', '2025-06-14T09:30:00.123456Z']) {
      expect([v, ok(instant, v)]).toEqual([v, true]);
    }
    for (const v of ['+011476-08-15T05:20:00.000Z', '0000-12-31T23:59:59Z', '0001-01-01T00:30:00+01:00', '2025-06-14T11:30:00', '2024-02-30T00:00:00Z', '']) {
      expect([v, ok(instant, v)]).toEqual([v, false]);
    }
  });

  it('take calendar dates that exist', () => {
    expect(ok(calendarDate, '2024-02-29')).toBe(true);
    expect(ok(calendarDate, '2023-02-29')).toBe(false);
    expect(ok(calendarDate, '2024-02-30')).toBe(false);
    expect(ok(calendarDate, '2024-2-3')).toBe(false);
  });

  it('bound text in characters as a person counts them, never below the domains’ count', () => {
    const emoji = '😀'.repeat(200); // 400 UTF-16 units
    expect(ok(text(200), emoji)).toBe(true);
    expect(ok(text(200), emoji + 'x')).toBe(false);
    expect(ok(text(200), '')).toBe(true);
    expect(ok(requiredText(200), '')).toBe(false);
  });

  it('bound lists by items and JSON objects by their UTF-8 size', () => {
    expect(ok(list(z.string(), 2), ['a', 'b'])).toBe(true);
    expect(ok(list(z.string(), 2), ['a', 'b', 'c'])).toBe(false);
    expect(ok(jsonObject(20), { a: 'é'.repeat(6) })).toBe(true); // {"a":"éééééé"} is 20 bytes
    expect(ok(jsonObject(20), { a: 'é'.repeat(7) })).toBe(false);
    expect(ok(jsonObject(1_000), { a: [1, { b: null }] })).toBe(true);
    expect(ok(jsonObject(1_000), ['a'])).toBe(false);
    expect(ok(jsonObject(1_000), { a: Number.NaN })).toBe(false);
  });
});

describe('published event contracts', () => {
  it('name every topic <context>.<aggregate>.v1, each with at least one event type at a schema version ≥ 1', () => {
    for (const [topic, contracts] of Object.entries(TOPIC_CONTRACTS_V1)) {
      expect(topic).toMatch(/^(crm|tasks|scheduling|notifications|ledger)\.[a-z-]+\.v1$/);
      expect(Object.keys(contracts).length).toBeGreaterThan(0);
      for (const contract of Object.values(contracts)) expect(Number.isInteger(contract.schemaVersion) && contract.schemaVersion >= 1).toBe(true);
    }
  });

  it('give each event type of a context one topic, so the flat maps lose none', () => {
    const count = (topics: Readonly<Record<string, object>>) => Object.values(topics).reduce((n, c) => n + Object.keys(c).length, 0);
    expect(Object.keys(crmEventContractsV1)).toHaveLength(count(CRM_TOPIC_CONTRACTS_V1));
    expect(Object.keys(tasksEventContractsV1)).toHaveLength(count(TASKS_TOPIC_CONTRACTS_V1));
    expect(Object.keys(schedulingEventContractsV1)).toHaveLength(count(SCHEDULING_TOPIC_CONTRACTS_V1));
    expect(Object.keys(notificationsEventContractsV1)).toHaveLength(count(NOTIFICATIONS_TOPIC_CONTRACTS_V1));
  });

  it('give a consumer the version and schema of a type, and refuse a type without a contract', () => {
    const checks = contractChecks(crmEventContractsV1, 'LeadStatusChanged');
    expect(checks).toEqual({ schemaVersions: [1], contract: crmEventContractsV1.LeadStatusChanged.schema });
    expect(() => contractChecks(crmEventContractsV1, 'LeadWon')).toThrow('event type LeadWon has no published contract');
    expect(() => contractChecks(crmEventContractsV1, 'toString')).toThrow('has no published contract');
  });
});
