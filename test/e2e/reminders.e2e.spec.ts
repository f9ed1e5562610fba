import { randomBytes } from 'node:crypto';
import type { crmV1, schedulingRemindersV1, tasksV1 } from '@projectflo/contracts';
import { fromTimestamp, toTimestamp } from '@projectflo/platform/grpc';
import { eventually } from '@projectflo/platform/testing';
import { attachmentText, deleteMessagesTo, message, messagesTo, untilMessagesTo, type ArrivedMessage } from './support/mailpit';
import { endRun, ServiceProcess } from './support/service-process';
import { newTenant } from './support/tenant';
import { untilAdmitted } from './support/users';

// Reminders, deadlines and notices through the running processes and a real SMTP server: a studio
// sets short reminder offsets and one email rule per trigger; the automation creates two tasks; the
// assignee's inbox (Mailpit) receives, for the task that runs its course, the creation notice, each
// reminder, the due notice, the overdue alert and the completion notice, each exactly once and
// never before its time, with the remaining reminders following a due date moved after the first;
// the task completed early gets no reminder at all. scheduling and notifications run with TZ set to
// a zone far from UTC (Pacific/Chatham, +13:45 in December), so a process-local zone cannot shift
// any time.

const run = randomBytes(4).toString('hex');
const FAR_ZONE = { TZ: 'Pacific/Chatham' };
const OFFSETS = ['PT30S', 'PT10S'];
const OVERDUE_AFTER_MS = 3_000;
/** How late an email may reach the inbox after its timer (the timer itself is never early). */
const SLACK_MS = 15_000;

let crm: ServiceProcess;
let tasks: ServiceProcess;
let scheduling: ServiceProcess;
let notifications: ServiceProcess;
const t = newTenant();
const assignee = `avery-${run}@e2e.example`;
const ids = { avery: '', taskA: '', taskB: '' };

beforeAll(async () => {
  [crm, tasks, scheduling, notifications] = await Promise.all([
    ServiceProcess.create('crm', run),
    ServiceProcess.create('task-engine', run),
    ServiceProcess.create('scheduling', run, FAR_ZONE),
    ServiceProcess.create('notifications', run, FAR_ZONE),
  ]);
  await Promise.all([crm.start(), tasks.start(), scheduling.start(), notifications.start()]);
  await deleteMessagesTo(assignee);
}, 240_000);

afterAll(async () => {
  await endRun(run, [crm, tasks, scheduling, notifications]);
}, 120_000);

const subjectsOf = (messages: readonly ArrivedMessage[], prefix: string) => messages.filter((m) => m.subject.startsWith(prefix));
const at = (m: ArrivedMessage) => new Date(m.created).getTime();

async function reschedule(taskId: string, dueAt: Date): Promise<void> {
  await tasks.call('RescheduleTask', { taskId, dueAt: toTimestamp(dueAt), reason: 'e2e timing' }, t.headers());
}

async function schedule(taskId: string, holds: (s: schedulingRemindersV1.TaskSchedule) => boolean, what: string) {
  return eventually(
    () => scheduling.call<schedulingRemindersV1.GetTaskScheduleResponse>('GetTaskSchedule', { taskId }, t.headers()).then((r) => r.schedule!),
    holds,
    { what, timeoutMs: 60_000 },
  );
}

describe('a task with a due date is announced, reminded, due, overdue and completed: each once, on time', () => {
  const times = { dueA: new Date(0), firstReminderAt: 0, movedDueA: new Date(0) };

  it('sets up the studio: an assignee with an email, a short reminder policy, one email rule per trigger', async () => {
    await crm.call('RegisterOrganization', { name: 'Reminder Studio', timezone: 'Europe/London', ownerName: 'Owner', ownerEmail: `owner-${run}@e2e.example` }, t.headers());
    await Promise.all([tasks, scheduling, notifications].map((service) => untilAdmitted(service, () => t.headers())));
    ids.avery = (await crm.call<crmV1.AddUserResponse>('AddUser', { name: 'Avery', email: assignee, role: 'USER_ROLE_MEMBER' }, t.headers())).user!.userId;

    await scheduling.call('SetReminderPolicy', {
      policy: { offsets: OFFSETS, outsideWorkingTime: 'OUTSIDE_WORKING_TIME_FIRE_ANYWAY', overdueAfter: `PT${OVERDUE_AFTER_MS / 1000}S` },
    }, t.headers());
    const rule = (name: string, trigger: string, subject: string) =>
      notifications.call('DefineNotificationRule', {
        rule: { name, trigger, channel: 'NOTIFICATION_CHANNEL_EMAIL', recipients: [{ kind: 'RECIPIENT_KIND_ASSIGNEE' }], subject, body: 'Hello {{recipient.name}}: {{task.name}} is due {{task.dueAt}}.' },
      }, t.headers());
    await rule('Created', 'NOTIFICATION_TRIGGER_TASK_CREATED', 'New: {{task.name}}');
    await rule('Reminder', 'NOTIFICATION_TRIGGER_REMINDER_DUE', 'Reminder {{reminder.offset}}: {{task.name}}');
    await rule('Due', 'NOTIFICATION_TRIGGER_TASK_DUE', 'Due now: {{task.name}}');
    await rule('Overdue', 'NOTIFICATION_TRIGGER_TASK_OVERDUE', 'Overdue: {{task.name}}');
    await rule('Done', 'NOTIFICATION_TRIGGER_TASK_COMPLETED', 'Done: {{task.name}}');

    await tasks.call('DefineEventType', { eventType: 'album.ordered', name: 'Album ordered', subjectDateFields: [] }, t.headers());
    const template = (key: string, name: string) =>
      tasks.call('CreateTaskTemplate', {
        template: { key, trigger: { eventType: 'album.ordered' }, name, priority: 'TASK_PRIORITY_HIGH', dueOffset: { days: 1, anchor: 'DUE_ANCHOR_TRIGGER_TIME' }, defaultAssignee: { userId: ids.avery } },
      }, t.headers());
    await template('design-album', 'Design the album');
    await template('order-prints', 'Order the prints');
    // notifications must know the assignee's address before the tasks exist (its copy of crm's users).
    await eventually(() => notifications.call('ListNotificationRules', {}, t.headers()), () => true, { what: 'notifications to serve the rules' });
  });

  it('creates the two tasks through the automation and announces each once', async () => {
    await tasks.call('IngestExternalEvent', { eventType: 'album.ordered', subjectId: `order-${run}`, payloadJson: '{}', occurredAt: toTimestamp(new Date()), idempotencyKey: `album-${run}` }, t.headers());
    const created = await eventually(
      () => tasks.call<tasksV1.ListTasksResponse>('ListTasks', { page: { pageSize: 10 } }, t.headers()).then((r) => r.tasks ?? []),
      (list) => list.length === 2,
      { what: 'the two tasks of album.ordered', timeoutMs: 90_000 },
    );
    ids.taskA = created.find((task) => task.templateKey === 'design-album')!.taskId;
    ids.taskB = created.find((task) => task.templateKey === 'order-prints')!.taskId;
    const announced = await untilMessagesTo(assignee, (m) => subjectsOf(m, 'New: ').length >= 2, 'the two creation notices');
    expect(subjectsOf(announced, 'New: ').map((m) => m.subject).sort()).toEqual(['New: Design the album', 'New: Order the prints']);
  });

  it('sends the first reminder at its time, never before, with the due date as an .ics', async () => {
    // Both tasks due 45 s from now: reminders at +15 s (PT30S) and +35 s (PT10S).
    times.dueA = new Date(Date.now() + 45_000);
    await Promise.all([reschedule(ids.taskA, times.dueA), reschedule(ids.taskB, times.dueA)]);
    // B is completed before any of its timers: it must get no reminder.
    await tasks.call('StartTask', { taskId: ids.taskB }, t.headers());
    await tasks.call('ChangeTaskStatus', { taskId: ids.taskB, toStatus: 'TASK_STATUS_COMPLETED', reason: 'done early' }, t.headers());

    const first = await untilMessagesTo(assignee, (m) => subjectsOf(m, 'Reminder PT30S: Design the album').length >= 1, 'the PT30S reminder of task A', 60_000);
    const reminder = subjectsOf(first, 'Reminder PT30S: Design the album')[0];
    times.firstReminderAt = at(reminder);
    const scheduledFor = times.dueA.getTime() - 30_000;
    expect(times.firstReminderAt).toBeGreaterThanOrEqual(scheduledFor - 1_000); // Mailpit stamps to the second
    expect(times.firstReminderAt).toBeLessThan(scheduledFor + SLACK_MS);

    const detail = await message(reminder.id);
    const ics = detail.attachmentFiles.find((f) => f.fileName === 'due-date.ics');
    expect(ics).toBeDefined();
    const calendar = await attachmentText(reminder.id, ics!.partId);
    const dueUtc = times.dueA.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
    expect(calendar).toContain(`DTSTART:${dueUtc}`);
    expect(calendar).toContain(`UID:task-${ids.taskA}@projectflo`);
  });

  it('moves the remaining reminder with a due date moved after the first one', async () => {
    // New due date 20 s from now: PT30S would be in the past (not again), PT10S moves to +10 s —
    // well before the old PT10S time (old due - 10 s), so an email at the old time would show.
    times.movedDueA = new Date(Date.now() + 20_000);
    await reschedule(ids.taskA, times.movedDueA);
    const moved = await schedule(ids.taskA, (s) => fromTimestamp(s.dueAt)?.getTime() === times.movedDueA.getTime(), 'the moved schedule of task A');
    expect(moved.pending.map((p) => p.reminderKey ?? '').filter((k) => k)).toEqual(['PT10S']);

    const second = await untilMessagesTo(assignee, (m) => subjectsOf(m, 'Reminder PT10S: Design the album').length >= 1, 'the moved PT10S reminder', 60_000);
    const sentAt = at(subjectsOf(second, 'Reminder PT10S: Design the album')[0]);
    const newTime = times.movedDueA.getTime() - 10_000;
    expect(sentAt).toBeGreaterThanOrEqual(newTime - 1_000);
    expect(sentAt).toBeLessThan(times.dueA.getTime() - 10_000 - 1_000);
  });

  it('announces the due moment and the overdue alert once, and the task-engine marks it overdue', async () => {
    const inbox = await untilMessagesTo(assignee, (m) => subjectsOf(m, 'Overdue: Design the album').length >= 1, 'the overdue alert of task A', 60_000);
    const dueNotice = subjectsOf(inbox, 'Due now: Design the album');
    expect(dueNotice).toHaveLength(1);
    expect(at(dueNotice[0])).toBeGreaterThanOrEqual(times.movedDueA.getTime() - 1_000);
    expect(at(subjectsOf(inbox, 'Overdue: Design the album')[0])).toBeGreaterThanOrEqual(times.movedDueA.getTime() + OVERDUE_AFTER_MS - 1_000);
    const overdue = await eventually(
      () => tasks.call<tasksV1.ListTasksResponse>('ListTasks', { overdueOnly: true, page: { pageSize: 10 } }, t.headers()).then((r) => r.tasks ?? []),
      (list) => list.length === 1,
      { what: 'task A in ListTasks overdue_only' },
    );
    expect(overdue[0].taskId).toBe(ids.taskA);
  });

  it('announces the completion once and ends the timers', async () => {
    await tasks.call('StartTask', { taskId: ids.taskA }, t.headers());
    await tasks.call('ChangeTaskStatus', { taskId: ids.taskA, toStatus: 'TASK_STATUS_COMPLETED', reason: 'delivered' }, t.headers());
    await untilMessagesTo(assignee, (m) => subjectsOf(m, 'Done: ').length >= 2, 'the two completion notices', 60_000);
    const ended = await schedule(ids.taskA, (s) => s.status === 'TASK_SCHEDULE_STATUS_ENDED', 'the ended schedule of task A');
    expect(ended.pending).toEqual([]);
    expect(ended.overdueFired).toBe(true);
    expect(ended.dueFired).toBe(true);
  });

  it('sent every notice exactly once, and nothing for the task completed early but its notices', async () => {
    // Give a stray duplicate or a stale timer time to show.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const all = await messagesTo(assignee);
    const count = (subject: string) => all.filter((m) => m.subject === subject).length;
    expect({
      createdA: count('New: Design the album'),
      reminderPT30S: count('Reminder PT30S: Design the album'),
      reminderPT10S: count('Reminder PT10S: Design the album'),
      due: count('Due now: Design the album'),
      overdue: count('Overdue: Design the album'),
      doneA: count('Done: Design the album'),
      createdB: count('New: Order the prints'),
      doneB: count('Done: Order the prints'),
    }).toEqual({ createdA: 1, reminderPT30S: 1, reminderPT10S: 1, due: 1, overdue: 1, doneA: 1, createdB: 1, doneB: 1 });
    expect(all.filter((m) => m.subject.endsWith('Order the prints')).map((m) => m.subject).sort()).toEqual(['Done: Order the prints', 'New: Order the prints']);
    expect(all).toHaveLength(8);
    const messageIds = await Promise.all(all.map((m) => message(m.id).then((d) => d.messageIdHeader)));
    expect(new Set(messageIds).size).toBe(8);
  });
});
