import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { crmV1, tasksV1 } from '@projectflo/contracts';
import { toTimestamp } from '@projectflo/platform/grpc';
import { eventually } from '@projectflo/platform/testing';
import { deleteMessagesTo, duplicatesDropped, message, messagesTo, untilMessagesTo, type ArrivedMessage } from './support/mailpit';
import { endRun, ServiceProcess } from './support/service-process';
import { newTenant } from './support/tenant';
import { untilAdmitted } from './support/users';

// RELIABILITY.md scenario 8 for reminders, through the running processes: with reminders pending
// for several tasks, the scheduling process is killed (-9) and started again, the Temporal server
// is restarted, and the notifications process is killed (-9) while the first reminders are being
// sent. Afterwards every notice of every task has reached the assignee's inbox exactly once (one
// message per subject, every Message-ID distinct) and none before its time.
//
// The hand-off to SMTP is at least once: a worker killed after the relay accepted a message and
// before the delivery was recorded sends it again when the activity is retried. Every attempt of a
// delivery carries the same Message-ID (the delivery id), and the receiving side drops a Message-ID
// it already holds, as mail systems do; Mailpit does (--ignore-duplicate-ids). A second *delivery*
// of one notice (a replayed timer or a redelivered trigger that was not recognised) would have its
// own Message-ID and show here as a second message.

const ROOT = join(__dirname, '..', '..');
const run = randomBytes(4).toString('hex');
const TASKS = ['Cull the gallery', 'Grade the film', 'Mix the audio', 'Export the reel'];
const OFFSETS = { PT40S: 40_000, PT20S: 20_000 };
const OVERDUE_AFTER = 'PT3S';

let crm: ServiceProcess;
let tasks: ServiceProcess;
let scheduling: ServiceProcess;
let notifications: ServiceProcess;
const t = newTenant();
const assignee = `faults-${run}@e2e.example`;

beforeAll(async () => {
  [crm, tasks, scheduling, notifications] = await Promise.all([
    ServiceProcess.create('crm', run),
    ServiceProcess.create('task-engine', run),
    ServiceProcess.create('scheduling', run),
    ServiceProcess.create('notifications', run),
  ]);
  await Promise.all([crm.start(), tasks.start(), scheduling.start(), notifications.start()]);
  await deleteMessagesTo(assignee);
}, 240_000);

afterAll(async () => {
  await endRun(run, [crm, tasks, scheduling, notifications]);
}, 120_000);

const infra = (...args: string[]) => promisify(execFile)('bash', [join(ROOT, 'scripts', 'infra.sh'), ...args], { timeout: 240_000 });

async function temporalPid(): Promise<string | undefined> {
  const { stdout } = await infra('status');
  return /^temporal\s+up\b.*\[pid (\d+)\]/m.exec(stdout)?.[1];
}

it('delivers every reminder, due notice and overdue alert exactly once across kill -9 of both workers and a Temporal restart', async () => {
  await crm.call('RegisterOrganization', { name: 'Faults Studio', timezone: 'Europe/London', ownerName: 'Owner', ownerEmail: `owner-${run}@e2e.example` }, t.headers());
  await Promise.all([tasks, scheduling, notifications].map((service) => untilAdmitted(service, () => t.headers())));
  const userId = (await crm.call<crmV1.AddUserResponse>('AddUser', { name: 'Robin', email: assignee, role: 'USER_ROLE_MEMBER' }, t.headers())).user!.userId;
  await scheduling.call('SetReminderPolicy', { policy: { offsets: Object.keys(OFFSETS), outsideWorkingTime: 'OUTSIDE_WORKING_TIME_FIRE_ANYWAY', overdueAfter: OVERDUE_AFTER } }, t.headers());
  const rule = (name: string, trigger: string, subject: string) =>
    notifications.call('DefineNotificationRule', {
      rule: { name, trigger, channel: 'NOTIFICATION_CHANNEL_EMAIL', recipients: [{ kind: 'RECIPIENT_KIND_ASSIGNEE' }], subject, body: '{{task.name}} is due {{task.dueAt}}.' },
    }, t.headers());
  await rule('Reminder', 'NOTIFICATION_TRIGGER_REMINDER_DUE', 'Reminder {{reminder.offset}}: {{task.name}}');
  await rule('Due', 'NOTIFICATION_TRIGGER_TASK_DUE', 'Due now: {{task.name}}');
  await rule('Overdue', 'NOTIFICATION_TRIGGER_TASK_OVERDUE', 'Overdue: {{task.name}}');

  await tasks.call('DefineEventType', { eventType: 'film.delivered', name: 'Film delivered', subjectDateFields: [] }, t.headers());
  for (const [i, name] of TASKS.entries()) {
    await tasks.call('CreateTaskTemplate', {
      template: { key: `post-${i}`, trigger: { eventType: 'film.delivered' }, name, dueOffset: { days: 2, anchor: 'DUE_ANCHOR_TRIGGER_TIME' }, defaultAssignee: { userId } },
    }, t.headers());
  }
  await tasks.call('IngestExternalEvent', { eventType: 'film.delivered', subjectId: `film-${run}`, payloadJson: '{}', occurredAt: toTimestamp(new Date()), idempotencyKey: `film-${run}` }, t.headers());
  const created = await eventually(
    () => tasks.call<tasksV1.ListTasksResponse>('ListTasks', { page: { pageSize: 10 } }, t.headers()).then((r) => r.tasks ?? []),
    (list) => list.length === TASKS.length,
    { what: `the ${TASKS.length} tasks`, timeoutMs: 90_000 },
  );

  // Every task due in 75 s: reminders at +35 s (PT40S) and +55 s (PT20S), due at +75 s.
  const dueAt = new Date(Date.now() + 75_000);
  for (const task of created) await tasks.call('RescheduleTask', { taskId: task.taskId, dueAt: toTimestamp(dueAt), reason: 'faults run' }, t.headers());
  await eventually(
    () => Promise.all(created.map((task) => scheduling.call<{ schedule?: { dueAt?: unknown; pending?: unknown[] } }>('GetTaskSchedule', { taskId: task.taskId }, t.headers()))),
    (schedules) => schedules.every((s) => (s.schedule?.pending ?? []).length === 4),
    { what: 'the four moved schedules, four timers each', timeoutMs: 30_000 },
  );

  // 1. The scheduling worker dies with every timer pending, and comes back.
  await scheduling.kill9();
  await scheduling.start();
  // 2. The Temporal server restarts with every timer pending.
  const temporalBefore = await temporalPid();
  await infra('restart', 'temporal');
  expect(await temporalPid()).not.toBe(temporalBefore);
  // 3. The notifications worker dies as the first reminders are being sent, and comes back.
  const droppedBefore = await duplicatesDropped();
  await untilMessagesTo(assignee, (m) => m.length >= 1, 'the first reminder', 120_000);
  await notifications.kill9();
  await notifications.start();

  const expected = TASKS.flatMap((name) => [...Object.keys(OFFSETS).map((offset) => `Reminder ${offset}: ${name}`), `Due now: ${name}`, `Overdue: ${name}`]);
  const inbox = await untilMessagesTo(assignee, (m) => expected.every((s) => m.some((x) => x.subject === s)), `all ${expected.length} notices`, 240_000);
  // Give a duplicate from a retried send or a replayed timer time to show.
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const all = await messagesTo(assignee);
  console.log(`repeated SMTP hand-offs dropped by Message-ID: ${(await duplicatesDropped()) - droppedBefore}`);
  expect(all.map((m) => m.subject).sort()).toEqual([...expected].sort());
  const messageIds = await Promise.all(all.map((m) => message(m.id).then((d) => d.messageIdHeader)));
  expect(new Set(messageIds).size).toBe(expected.length);

  // Never early: each notice reached the inbox at or after its time (Mailpit stamps to the second).
  const notBefore = (m: ArrivedMessage): number => {
    const offset = Object.entries(OFFSETS).find(([key]) => m.subject.startsWith(`Reminder ${key}:`));
    if (offset) return dueAt.getTime() - offset[1];
    return m.subject.startsWith('Overdue:') ? dueAt.getTime() + 3_000 : dueAt.getTime();
  };
  for (const m of inbox) expect({ subject: m.subject, early: new Date(m.created).getTime() < notBefore(m) - 1_000 }).toEqual({ subject: m.subject, early: false });
}, 420_000);
