/*
 * Usage — a consumer asks for a workflow in its inbox transaction; a dispatcher starts it after the
 * commit (never a network call inside the transaction, see docs/ARCHITECTURE.md "Consumers never
 * call Temporal inside their transaction"):
 *
 *   // a migration: for (const sql of workflowRequestsTableSql('notification_requests')) this.addSql(sql);
 *   const requests = new WorkflowRequests<NotificationInput>(orm, 'notification_requests');
 *   await requests.record(tx, { workflowId, tenantId, input, requestedAt });        // in the consumer's tx
 *   const dispatcher = new RequestDispatcher({ name: 'notification', queue: requests,
 *     dispatch: (request) => starter.start(request.input), clock, logger });
 *   dispatcher.start(); ... await dispatcher.stop();                                  // the app's lifecycle
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '@projectflo/platform/core';
import { CROSS_TENANT } from '@projectflo/platform/event-store';
import type { Logger } from '@projectflo/platform/logging';
import { type BackoffOptions, backoffDelay, InterruptibleSleep, PoisonMessageError, type Tx } from '@projectflo/platform/messaging';
import { OrmUnitOfWork } from '@projectflo/platform/persistence';
import { InvalidWorkflowIdError } from '@projectflo/platform/workflow';

/** A workflow a consumer asked for that Temporal has not acknowledged yet. */
export interface PendingWorkflowRequest<Input> {
  readonly workflowId: string;
  readonly input: Input;
  /** Failed attempts so far. */
  readonly attempts: number;
}

/** What a dispatcher needs of its requests. */
export interface WorkflowRequestQueue<Input> {
  due(now: Date, limit: number): Promise<PendingWorkflowRequest<Input>[]>;
  /** Temporal has it (started now or before): the request is done. */
  done(workflowId: string): Promise<void>;
  /** A failed attempt: try again at `nextAttemptAt`, keeping the error for operators. */
  postpone(workflowId: string, nextAttemptAt: Date, error: string): Promise<void>;
  /**
   * Calls `listener` whenever a request recorded in this process has committed (returns the
   * unsubscribe). A queue without it is only polled.
   */
  onRecorded?(listener: () => void): () => void;
}

/** The table of a service's workflow requests (a tenant table: the owner's security step forces row-level security on it). */
export function workflowRequestsTableSql(table: string): string[] {
  return [
    `CREATE TABLE ${table} (
      workflow_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      input jsonb NOT NULL,
      requested_at timestamptz(3) NOT NULL,
      next_attempt_at timestamptz(3) NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      last_error text
    )`,
    `CREATE INDEX ${table}_due_idx ON ${table} (next_attempt_at)`,
  ];
}

/**
 * The business workflow id a consumer forms from a message (`form`): one that cannot be formed
 * (InvalidWorkflowIdError) can never start, so the message is poison, dead-lettered at once.
 */
export function requestWorkflowId(form: () => string): string {
  try {
    return form();
  } catch (error) {
    if (error instanceof InvalidWorkflowIdError) throw new PoisonMessageError('invalid-payload', error.message);
    throw error;
  }
}

/**
 * Tells this process's dispatcher that a request was recorded, once its transaction committed
 * (a queue's `onRecorded`); a request recorded by another process is found by the poll.
 */
export class RecordedSignal {
  private readonly listeners = new Set<() => void>();

  /** Called in the recording transaction: the listeners run after its commit, never on rollback. */
  notifyAfterCommit(tx: Tx): void {
    tx.afterCommit?.(() => {
      for (const listener of this.listeners) listener();
    });
  }

  onRecorded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Requests kept in one table of the service's schema. `record` runs in the caller's transaction
 * (the workflow id is the key: a request recorded twice is one) and, once that commits, wakes this
 * process's dispatcher; the rest are the dispatcher's short cross-tenant transactions, none open
 * across a network call.
 */
export class WorkflowRequests<Input> implements WorkflowRequestQueue<Input> {
  private readonly recorded = new RecordedSignal();

  constructor(
    private readonly orm: MikroORM,
    private readonly table: string,
  ) {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
  }

  async record(tx: Tx, request: { readonly workflowId: string; readonly tenantId: string; readonly input: Input; readonly requestedAt: Date }): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.table} (workflow_id, tenant_id, input, requested_at, next_attempt_at) VALUES ($1, $2, $3::jsonb, $4, $4)
       ON CONFLICT (workflow_id) DO NOTHING`,
      [request.workflowId, request.tenantId, JSON.stringify(request.input), request.requestedAt],
    );
    this.recorded.notifyAfterCommit(tx);
  }

  onRecorded(listener: () => void): () => void {
    return this.recorded.onRecorded(listener);
  }

  async due(now: Date, limit: number): Promise<PendingWorkflowRequest<Input>[]> {
    const rows = await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional((tx) =>
      tx.query<{ workflow_id: string; input: Input; attempts: number }>(
        `SELECT workflow_id, input, attempts FROM ${this.table} WHERE next_attempt_at <= $1 ORDER BY requested_at, workflow_id LIMIT $2`,
        [now, limit],
      ),
    );
    return rows.map((r) => ({ workflowId: r.workflow_id, input: r.input, attempts: r.attempts }));
  }

  async done(workflowId: string): Promise<void> {
    await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional((tx) => tx.query(`DELETE FROM ${this.table} WHERE workflow_id = $1`, [workflowId]));
  }

  async postpone(workflowId: string, nextAttemptAt: Date, error: string): Promise<void> {
    await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional((tx) =>
      tx.query(`UPDATE ${this.table} SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE workflow_id = $1`, [workflowId, nextAttemptAt, error.slice(0, 2_000)]),
    );
  }
}

export interface RequestDispatcherOptions<Input> {
  /** What it dispatches, for its log lines (e.g. `notification`). */
  readonly name: string;
  readonly queue: WorkflowRequestQueue<Input>;
  /** Starts (or signals) the request's workflow; idempotent by its business id. */
  readonly dispatch: (request: PendingWorkflowRequest<Input>) => Promise<unknown>;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * How often an idle dispatcher looks for requests it was not woken for (recorded by another
   * process, or postponed until now). A request recorded in this process wakes it at its commit.
   */
  readonly pollMs?: number;
  readonly batch?: number;
  /**
   * How many of a batch's requests are dispatched at once (default 8): a workflow start is a round
   * trip to Temporal, so one at a time caps a burst at the server's latency. Requests are
   * independent (each its own business id), so their order within a batch does not matter.
   */
  readonly concurrency?: number;
  /** Between failed attempts at one request, and between passes while Temporal keeps failing. */
  readonly retry?: BackoffOptions;
}

/**
 * Dispatches the due requests after their transactions committed: each request's workflow is
 * started (idempotent by its business id), then the request is deleted. The commit of a request
 * recorded in this process wakes an idle dispatcher at once; otherwise it polls. A failed start
 * (Temporal down or restarting) leaves the request with a later attempt time and the dispatcher
 * backs off (wake-ups do not cut the backoff short): an outage is a wait. A crash between a start
 * and the delete starts nothing twice.
 */
export class RequestDispatcher<Input> {
  private readonly sleeper = new InterruptibleSleep();
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly concurrency: number;
  private readonly retry: BackoffOptions;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private failures = 0;
  /** A commit woke it since its last pass began: look again before sleeping. */
  private woken = false;
  private polling = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: RequestDispatcherOptions<Input>) {
    this.pollMs = options.pollMs ?? 500;
    this.batch = options.batch ?? 50;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.retry = options.retry ?? { initialMs: 500, maxMs: 5_000 };
  }

  start(): void {
    this.unsubscribe ??= this.options.queue.onRecorded?.(() => this.wake());
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.sleeper.interruptAll();
    await this.loop;
  }

  /** Something new was committed: an idle dispatcher looks now, a busy one once its pass ends. */
  wake(): void {
    this.woken = true;
    if (this.polling) this.sleeper.interruptAll();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let full = false;
      this.woken = false;
      try {
        full = await this.dispatchDue();
        this.failures = 0;
      } catch (error) {
        this.failures++;
        this.options.logger.warn(`${this.options.name} requests wait: dispatching them failed; retrying`, { attempt: this.failures, err: error });
      }
      if (this.failures > 0) await this.sleeper.sleep(backoffDelay(this.failures, this.retry));
      else if (!full && !this.woken) await this.poll();
    }
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      await this.sleeper.sleep(this.pollMs);
    } finally {
      this.polling = false;
    }
  }

  /**
   * Dispatches one batch of due requests, `concurrency` at a time; true when the batch was full
   * (more may be due). A failed dispatch is postponed; after the group it was in, the pass stops
   * with its error.
   */
  async dispatchDue(): Promise<boolean> {
    const { queue, clock } = this.options;
    const due = await queue.due(clock.now(), this.batch);
    for (let start = 0; start < due.length; start += this.concurrency) {
      if (this.stopping) return false;
      const group = due.slice(start, start + this.concurrency);
      const outcomes = await Promise.allSettled(group.map((request) => this.dispatchOne(request)));
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
    }
    return due.length === this.batch;
  }

  private async dispatchOne(request: PendingWorkflowRequest<Input>): Promise<void> {
    const { queue, clock } = this.options;
    try {
      await this.options.dispatch(request);
    } catch (error) {
      const retryAt = new Date(clock.now().getTime() + backoffDelay(request.attempts + 1, this.retry));
      await queue.postpone(request.workflowId, retryAt, error instanceof Error ? error.message : String(error));
      throw error;
    }
    await queue.done(request.workflowId);
  }
}
