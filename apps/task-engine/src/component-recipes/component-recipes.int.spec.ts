import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { GRPC_CONTRACTS, grpcServerContract, ledgerBuildEventsV1, PROTO_ROOT, tasksRecipesV1, tasksV1 } from '@projectflo/contracts';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { Caller, failedCall, relayedEvent, TestTopics } from '@projectflo/platform/testing';
import { AesGcmPayloadCodec, connectTestEnvironment, decryptHistory, historyFixtureJson, replayHistories, SearchAttributes, searchAttributeQuery, type TemporalTestEnvironment } from '@projectflo/platform/workflow';
import { buildComponentTriggerEventId, plannedTaskId } from '@projectflo/task-engine/domain';
import type { z } from 'zod';
import { TaskEngineAppModule } from '../app.module';
import { EXPANSION_WORKFLOWS_PATH } from '../task-engine.service-options';
import { enrolUser, freePort, taskEngineConsumerGroups, waitFor } from '../testing/task-engine.test-support';
import { buildExpansionWorkflowId } from './build-expansion.starter';
import type { BuildExpansionSummary } from './build-expansion.types';

// Component task recipes against the real Postgres, Kafka and Temporal: the task-engine in-process
// on its own schema, topics and task queue; BuildBooked published the way build-ledger's relay
// publishes it on ledger.build.v1.

const DATABASE_URL = databaseUrlFromEnv();
const BUILD_EXPANSION_FIXTURE = join(__dirname, '__fixtures__', 'build-expansion.history.json');
const run = randomBytes(4).toString('hex');
const schema = `te_rcp_${run}`;
const topics = new TestTopics(`${schema}.`);
const T = randomUUID();
const USER = randomUUID();
const owner = new Caller(T, USER);

type BuildBooked = z.infer<typeof ledgerBuildEventsV1.BuildBookedV1>;
type BookedComponent = BuildBooked['components'][number];

const component = (componentId: string, deliverableId: string, sceneId: string, editingStyleId: string): BookedComponent => ({
  componentId,
  deliverableId,
  deliverableName: `Deliverable ${deliverableId}`,
  sceneId,
  sceneName: `Scene ${sceneId}`,
  editingStyleId,
  editingStyleName: `Style ${editingStyleId}`,
  targetMinutes: 5,
});

function bookedBuild(buildId: string, components: BookedComponent[], overrides: Partial<BuildBooked> = {}): BuildBooked {
  return {
    tenantId: T,
    buildId,
    version: 1,
    leadId: null,
    clientId: null,
    projectId: null,
    name: 'Smith wedding',
    eventDate: '2027-06-12',
    approvedTotal: { amountMinor: 450_000, currency: 'EUR' },
    components,
    coverage: [],
    bookedBy: USER,
    bookedAt: '2026-12-01T10:00:00.000Z',
    ...overrides,
  };
}

/** BuildBooked as build-ledger's relay publishes it (CloudEvents headers, keyed by the build id). */
const buildBookedMessage = (data: BuildBooked, eventId: string = randomUUID()) =>
  relayedEvent('build-ledger', `build-${data.buildId}`, data.tenantId, 'BuildBooked', data, { eventId, actorId: USER });

describe('component task recipes (integration)', () => {
  let env: TemporalTestEnvironment;
  let running: RunningService<unknown>;
  let client: ReturnType<typeof createGrpcClient>;
  let producer: Producer;
  let pool: Pool;
  const templates: Record<string, string> = {};
  const recipeId = randomUUID();

  const call = <R>(method: string, request: object, headers: Record<string, string> = owner.command()) => callUnary<R>(client, method, request, headers);
  const publish = (data: BuildBooked, eventId: string = randomUUID()) => producer.send({ topic: ledgerBuildEventsV1.LEDGER_BUILD_TOPIC_V1, messages: [buildBookedMessage(data, eventId)] });
  const expansionsOf = (buildId: string) => call<tasksRecipesV1.ListBuildExpansionsResponse>('ListBuildExpansions', { buildId }, owner.query());
  const workflowsOf = async (buildId: string) => {
    const ids: string[] = [];
    for await (const execution of env.client.workflow.list({ query: searchAttributeQuery({ tenantId: T, subjectId: buildId }) })) ids.push(execution.workflowId);
    return ids.sort();
  };
  const taskCount = async () =>
    Number((await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".events WHERE tenant_id = $1 AND type = 'TaskCreated'`, [T])).rows[0]!.n);

  beforeAll(async () => {
    env = await connectTestEnvironment();
    pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
    producer = topics.client(`te-rcp-${run}`).producer();
    await producer.connect();
    running = await bootstrapGrpcService({
      ...grpcServerContract('task-engine'),
      appModule: TaskEngineAppModule,
      env: { ...process.env, GRPC_PORT: String(await freePort()), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: `te-rcp-${run}`, LOG_LEVEL: 'warn' },
    });
    const contract = GRPC_CONTRACTS['task-engine'];
    client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
    await enrolUser(producer, running, T, USER);

    const template = (key: string, extra: Partial<tasksV1.TaskTemplate>) => ({
      key,
      trigger: { eventType: 'production.edit' },
      name: `Task ${key}`,
      priority: tasksV1.TaskPriority.TASK_PRIORITY_HIGH,
      dueOffset: { days: 14, hours: 9, businessDays: false, anchor: tasksV1.DueAnchor.DUE_ANCHOR_SUBJECT_DATE, anchorField: 'event_date' },
      effortHours: '4',
      ...extra,
    });
    const sets: [string, Partial<tasksV1.TaskTemplate>][] = [
      ['edit-film', {}],
      ['review-film', { dependsOn: ['edit-film'], dueOffset: { days: 2, hours: 0, businessDays: false, anchor: tasksV1.DueAnchor.DUE_ANCHOR_TRIGGER_TIME, anchorField: '' } }],
      ['retired-one', {}],
    ];
    for (const [key, extra] of sets) {
      const created = await call<tasksV1.CreateTaskTemplateResponse>('CreateTaskTemplate', { template: template(key, extra) });
      templates[key] = created.template!.templateId;
    }
    await call('RetireTaskTemplate', { templateId: templates['retired-one'], reason: 'no longer done' });
  }, 180_000);

  afterAll(async () => {
    client?.close();
    await running?.app.close();
    await producer?.disconnect();
    await topics.delete([...taskEngineConsumerGroups(schema)]);
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
    await env?.close();
  }, 60_000);

  it('defines, revises, lists and retires recipes, refusing what it cannot take', async () => {
    const recipe = { recipeId, name: 'Film edit', deliverableId: 'film', sceneId: '', editingStyleId: '', templateIds: [templates['edit-film']] };
    const defined = await call<tasksRecipesV1.DefineComponentRecipeResponse>('DefineComponentRecipe', { recipe });
    expect(defined.recipe).toMatchObject({ recipeId, revision: 1, retired: false, sceneId: '', templateIds: [templates['edit-film']] });

    const revised = await call<tasksRecipesV1.DefineComponentRecipeResponse>('DefineComponentRecipe', {
      recipe: { ...recipe, templateIds: [templates['edit-film'], templates['review-film']] },
      expectedVersion: defined.version,
    });
    expect(revised.recipe).toMatchObject({ revision: 2, templateIds: [templates['edit-film'], templates['review-film']] });

    const stale = await failedCall(call('DefineComponentRecipe', { recipe: { ...recipe, name: 'Stale' }, expectedVersion: defined.version }));
    expect(stale.code).toBe(status.ABORTED);
    const rival = await failedCall(call('DefineComponentRecipe', { recipe: { ...recipe, recipeId: randomUUID() } }));
    expect(rival.code).toBe(status.ALREADY_EXISTS);
    const unknownTemplate = await failedCall(call('DefineComponentRecipe', { recipe: { ...recipe, recipeId: randomUUID(), deliverableId: 'album', templateIds: [randomUUID()] } }));
    expect(unknownTemplate.code).toBe(status.NOT_FOUND);
    const retiredTemplate = await failedCall(call('DefineComponentRecipe', { recipe: { ...recipe, recipeId: randomUUID(), deliverableId: 'album', templateIds: [templates['retired-one']] } }));
    expect(retiredTemplate.code).toBe(status.FAILED_PRECONDITION);
    const invalid = await failedCall(call('DefineComponentRecipe', { recipe: { ...recipe, recipeId: 'nope', name: '', templateIds: [] } }));
    expect(invalid.code).toBe(status.INVALID_ARGUMENT);
    expect(invalid.details).toMatch(/recipe\.recipe_id/);

    const other = randomUUID();
    await call('DefineComponentRecipe', { recipe: { ...recipe, recipeId: other, name: 'Album', deliverableId: 'album' } });
    await call('RetireComponentRecipe', { recipeId: other, reason: 'albums are printed elsewhere' });
    expect((await failedCall(call('RetireComponentRecipe', { recipeId: other }))).code).toBe(status.FAILED_PRECONDITION);

    const active = await call<tasksRecipesV1.ListComponentRecipesResponse>('ListComponentRecipes', {}, owner.query());
    expect(active.recipes.map((r) => r.recipeId)).toEqual([recipeId]);
    const all = await call<tasksRecipesV1.ListComponentRecipesResponse>('ListComponentRecipes', { includeRetired: true }, owner.query());
    expect(all.recipes.map((r) => [r.deliverableId, r.retired])).toEqual([
      ['album', true],
      ['film', false],
    ]);
  });

  it('expands a booked build into its tasks once, however often BuildBooked arrives, findable in Temporal', async () => {
    const buildId = randomUUID();
    const booked = bookedBuild(buildId, [component('c-1', 'film', 'ceremony', 'cinematic'), component('c-2', 'album', 'portraits', 'classic')]);
    const eventId = randomUUID();
    await publish(booked, eventId);

    const trigger = buildComponentTriggerEventId(T, buildId, 'c-1');
    const editId = plannedTaskId(T, trigger, templates['edit-film']!);
    const reviewId = plannedTaskId(T, trigger, templates['review-film']!);
    const review = await waitFor('the review task of component c-1', async () => {
      try {
        return (await call<tasksV1.GetTaskResponse>('GetTask', { taskId: reviewId }, owner.query())).task;
      } catch {
        return undefined;
      }
    });
    const edit = (await call<tasksV1.GetTaskResponse>('GetTask', { taskId: editId }, owner.query())).task!;
    expect(edit).toMatchObject({
      name: 'Task edit-film · Deliverable film / Scene ceremony / Style cinematic',
      status: tasksV1.TaskStatus.TASK_STATUS_READY_TO_START,
      // 14 days after the event date, 09:00 in the tenant's zone (UTC until a business calendar is set).
      dueAt: { seconds: String(Date.parse('2027-06-26T09:00:00Z') / 1000), nanos: 0 },
      triggerEventId: trigger,
      metadata: { build_id: buildId, component_id: 'c-1' },
    });
    expect(review).toMatchObject({ status: tasksV1.TaskStatus.TASK_STATUS_TODO, blockedByTaskIds: [editId] });

    const workflowId = buildExpansionWorkflowId(T, buildId, 1);
    const handle = env.client.workflow.getHandle(workflowId);
    const summary: BuildExpansionSummary = await handle.result();
    expect(summary).toMatchObject({ outcome: 'completed', templateCount: 2, created: 2, alreadyExisted: 0, taskIds: [editId, reviewId] });
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(SearchAttributes.TriggerType)).toBe('build_booked');
    expect(description.typedSearchAttributes.get(SearchAttributes.SubjectId)).toBe(buildId);
    expect(await waitFor('the expansion in visibility', async () => ((await workflowsOf(buildId)).length > 0 ? workflowsOf(buildId) : undefined))).toEqual([workflowId]);

    const [expansion] = (await expansionsOf(buildId)).expansions;
    expect(expansion).toMatchObject({
      buildVersion: 1,
      outcome: tasksRecipesV1.BuildExpansionOutcome.BUILD_EXPANSION_OUTCOME_REQUESTED,
      workflowId,
      matchedComponentIds: ['c-1'],
      unmatchedComponentIds: ['c-2'],
    });

    // Redelivered (same event) and published again by a relay that lost its checkpoint (a new event id): nothing more.
    const tasksBefore = await taskCount();
    await publish(booked, eventId);
    const republished = randomUUID();
    await publish(booked, republished);
    // Same key, same partition: once the republished event is in the group's inbox, the redelivery before it was handled too.
    await waitFor('the republished booking handled by the build-expansion group', async () => {
      const { rows } = await pool.query(`SELECT 1 FROM "${schema}".inbox WHERE consumer_group = $1 AND event_id = $2`, [`${schema}.build-expansion`, republished]);
      return rows.length === 1 ? true : undefined;
    });
    expect(await taskCount()).toBe(tasksBefore);
    expect(await workflowsOf(buildId)).toEqual([workflowId]);
    expect((await expansionsOf(buildId)).expansions).toHaveLength(1);

    // RELIABILITY 10: the finished expansion replays against the current workflow code.
    const history = await handle.fetchHistory();
    await replayHistories(EXPANSION_WORKFLOWS_PATH, [{ workflowId, history }], { payloadKeys: env.config.payloadKeys });
    // Recorded decrypted, so build-expansion.workflows.replay.int.spec.ts replays it on machines without this payload key.
    if (process.env['RECORD_WORKFLOW_FIXTURES'] === '1') {
      writeFileSync(BUILD_EXPANSION_FIXTURE, historyFixtureJson(workflowId, await decryptHistory(history, new AesGcmPayloadCodec(env.config.payloadKeys))));
    }
  });

  it('books a later version: only what the change added becomes a task, in a workflow of its own', async () => {
    const buildId = randomUUID();
    const first = bookedBuild(buildId, [component('c-1', 'film', 'ceremony', 'cinematic')]);
    await publish(first);
    const v1 = env.client.workflow.getHandle(buildExpansionWorkflowId(T, buildId, 1));
    await waitFor('version 1 expanded', async () => {
      try {
        return (await v1.result()) as BuildExpansionSummary;
      } catch {
        return undefined;
      }
    });
    await publish({ ...first, version: 2, components: [...first.components, component('c-9', 'film', 'reception', 'documentary')] });
    const v2 = env.client.workflow.getHandle(buildExpansionWorkflowId(T, buildId, 2));
    const summary = await waitFor('version 2 expanded', async () => {
      try {
        return (await v2.result()) as BuildExpansionSummary;
      } catch {
        return undefined;
      }
    });
    expect(summary).toMatchObject({ created: 2, alreadyExisted: 2 });
    expect((await expansionsOf(buildId)).expansions.map((e) => [e.buildVersion, e.matchedComponentIds])).toEqual([
      [1, ['c-1']],
      [2, ['c-1', 'c-9']],
    ]);
  });

  it('records a booking no recipe matches, with no workflow and no task', async () => {
    const buildId = randomUUID();
    const tasksBefore = await taskCount();
    await publish(bookedBuild(buildId, [component('c-1', 'drone', 'aerial', 'raw')]));
    const [expansion] = await waitFor('the outcome of the unmatched booking', async () => {
      const found = (await expansionsOf(buildId)).expansions;
      return found.length > 0 ? found : undefined;
    });
    expect(expansion).toMatchObject({
      outcome: tasksRecipesV1.BuildExpansionOutcome.BUILD_EXPANSION_OUTCOME_NO_RECIPE,
      workflowId: '',
      matchedComponentIds: [],
      unmatchedComponentIds: ['c-1'],
    });
    expect(await workflowsOf(buildId)).toEqual([]);
    expect(await taskCount()).toBe(tasksBefore);
    expect((await failedCall(call('ListBuildExpansions', { buildId: '' }, owner.query()))).code).toBe(status.INVALID_ARGUMENT);
  });
});
