import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { PoisonMessageError, type Tx } from '@projectflo/platform/messaging';
import { CROSS_TENANT } from '@projectflo/platform/event-store';
import { OrmUnitOfWork } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { InvalidWorkflowIdError } from '@projectflo/platform/workflow';
import { expansionWorkflowId } from './expansion.starter';
import type { ExpansionInput } from './expansion.types';

/** An expansion recorded by a trigger consumer that Temporal has not acknowledged yet. */
export interface PendingExpansion {
  readonly workflowId: string;
  readonly input: ExpansionInput;
  /** Failed starts so far. */
  readonly attempts: number;
}

/**
 * Records an expansion to start, in the caller's transaction: a trigger consumer's, so that the
 * inbox claim and the request commit together (a crash in between loses neither). The workflow
 * is started after the commit by the ExpansionDispatcher, never inside the transaction: a slow or
 * absent Temporal must not keep a transaction (and its id) open, since every relay of the cluster
 * reads only below the oldest running one. The business workflow id is the key, so a trigger
 * recorded twice is one request; an id that cannot be formed can never start: the message is
 * poison.
 */
export async function requestExpansion(tx: Tx, input: ExpansionInput, requestedAt: Date): Promise<void> {
  let workflowId: string;
  try {
    workflowId = expansionWorkflowId(input);
  } catch (error) {
    if (error instanceof InvalidWorkflowIdError) throw new PoisonMessageError('invalid-payload', error.message);
    throw error;
  }
  await tx.query(
    `INSERT INTO expansion_requests (workflow_id, tenant_id, input, requested_at, next_attempt_at) VALUES ($1, $2, $3::jsonb, $4, $4)
     ON CONFLICT (workflow_id) DO NOTHING`,
    [workflowId, input.tenantId, JSON.stringify(input), requestedAt],
  );
}

/**
 * The dispatcher's side of `expansion_requests`. Each call is its own short transaction; reads
 * take no transaction id, and nothing here waits on the network while a transaction is open.
 * The dispatcher serves every tenant: it works in the cross-tenant scope.
 */
@Injectable()
export class ExpansionRequestsRepository {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  /** Requests whose next attempt is due, oldest first. */
  async due(now: Date, limit: number): Promise<PendingExpansion[]> {
    const rows = await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional((tx) =>
      tx.query<{ workflow_id: string; input: ExpansionInput; attempts: number }>(
        `SELECT workflow_id, input, attempts FROM expansion_requests WHERE next_attempt_at <= $1 ORDER BY requested_at, workflow_id LIMIT $2`,
        [now, limit],
      ),
    );
    return rows.map((r) => ({ workflowId: r.workflow_id, input: r.input, attempts: r.attempts }));
  }

  /** Temporal has the workflow (started now or before): the request is done. */
  async started(workflowId: string): Promise<void> {
    await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional((tx) => tx.query('DELETE FROM expansion_requests WHERE workflow_id = $1', [workflowId]));
  }

  /** A failed start: try again at `nextAttemptAt`, keeping the error for operators. */
  async postpone(workflowId: string, nextAttemptAt: Date, error: string): Promise<void> {
    await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional((tx) =>
      tx.query('UPDATE expansion_requests SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE workflow_id = $1', [
        workflowId,
        nextAttemptAt,
        error.slice(0, 2_000),
      ]),
    );
  }
}
