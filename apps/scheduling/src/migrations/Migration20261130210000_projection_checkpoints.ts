import { Migration } from '@mikro-orm/migrations';
import { projectionCheckpointsSql } from '@projectflo/platform/persistence';

/** Where a read-model rebuild records how far it got (rebuildSchedulingReadModel). */
export class Migration20261130210000_projection_checkpoints extends Migration {
  override async up(): Promise<void> {
    this.addSql(projectionCheckpointsSql());
  }
}
