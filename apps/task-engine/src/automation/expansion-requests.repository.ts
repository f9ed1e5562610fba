import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Tx } from '@projectflo/platform/messaging';
import { MIKRO_ORM, requestWorkflowId, WorkflowRequests } from '@projectflo/platform/service';
import { expansionWorkflowId } from './expansion.starter';
import type { ExpansionInput } from './expansion.types';

/**
 * `expansion_requests` (the platform's WorkflowRequests over the table the task-engine had before
 * the platform did; same columns). The trigger consumers record in their transaction; the
 * ExpansionDispatcher's due, done and postpone are each their own short cross-tenant transaction,
 * none open across a network call.
 */
@Injectable()
export class ExpansionRequestsRepository extends WorkflowRequests<ExpansionInput> {
  constructor(@Inject(MIKRO_ORM) orm: MikroORM) {
    super(orm, 'expansion_requests');
  }

  /**
   * Records an expansion to start, in the caller's transaction: a trigger consumer's, so that the
   * inbox claim and the request commit together (a crash in between loses neither). The workflow
   * is started after the commit by the ExpansionDispatcher (woken by it), never inside the
   * transaction: a slow or absent Temporal must not keep a transaction (and its id) open, since
   * every relay of the cluster reads only below the oldest running one. The business workflow id
   * is the key, so a trigger recorded twice is one request; an id that cannot be formed can never
   * start: the message is poison.
   */
  async request(tx: Tx, input: ExpansionInput, requestedAt: Date): Promise<void> {
    const workflowId = requestWorkflowId(() => expansionWorkflowId(input));
    await this.record(tx, { workflowId, tenantId: input.tenantId, input, requestedAt });
  }
}
