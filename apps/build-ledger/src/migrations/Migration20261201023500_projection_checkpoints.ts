import { Migration } from '@mikro-orm/migrations';
import { projectionCheckpointsSql } from '@projectflo/platform/persistence';

/** Where a read-model rebuild records how far it read the event store (rebuildBuildReadModel). */
export class Migration20261201023500_projection_checkpoints extends Migration {
  override async up(): Promise<void> {
    this.addSql(projectionCheckpointsSql());
  }
}
