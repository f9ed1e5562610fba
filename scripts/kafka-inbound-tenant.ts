/**
 * Provisions a tenant's inbound Kafka credentials: a SCRAM user `inbound-<tenantId>` allowed to
 * write only the tenant's topic `tasks.external-events.in.v1.<tenantId>` (created here), so the
 * task-engine knows the tenant of every inbound message from its topic, not from what the producer
 * wrote. The password is printed once and not kept: run it again to rotate (the old one stops
 * working); --revoke removes the user and its ACLs (the topic and its messages stay).
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register scripts/kafka-inbound-tenant.ts <tenantId> [--prefix P] [--revoke]
 *
 * KAFKA_BROKERS and KAFKA_SASL_USERNAME/PASSWORD of a super user (scripts/env.sh: admin);
 * PROJECTFLO_KAFKA_LIBS: the Kafka jars (see kafka-users.ts). Exit 0 on success, 1 on a failure, 2 for a usage error.
 */
import { parseArgs } from 'node:util';
import { type KafkaConnectionSource, TopicNamespace, createKafka, ensureTopics, kafkaClientConfig, withAdmin } from '@projectflo/platform/messaging';
import { applyAcls, inboundProducerAcls, removeAcls } from '@projectflo/platform/service';
import { externalEventsInboundTopic } from '@projectflo/task-engine/domain';
import { alterScramUser, newPassword } from './kafka-users';

export interface InboundCredentials {
  readonly username: string;
  readonly password: string;
  /** The physical topic the user may write. */
  readonly topic: string;
}

/** The tenant's inbound user and its logical topic. */
function inboundIdentity(tenantId: string): { username: string; logical: string } {
  return { username: `inbound-${tenantId}`, logical: externalEventsInboundTopic(tenantId) };
}

/** Creates (or re-keys) the tenant's SCRAM user, its topic and its ACLs. */
export async function provisionInboundTenant(tenantId: string, topicPrefix = '', settings: KafkaConnectionSource = process.env): Promise<InboundCredentials> {
  const { username, logical } = inboundIdentity(tenantId);
  const password = newPassword();
  const namespace = new TopicNamespace(topicPrefix);
  await alterScramUser(username, ['--add-config', `SCRAM-SHA-512=[iterations=8192,password=${password}]`], settings);
  const kafka = createKafka('kafka-inbound-tenant', {}, settings);
  await withAdmin(namespace.wrap(kafka), (admin) => ensureTopics(admin, [logical]));
  const topic = namespace.physical(logical);
  await withAdmin(kafka, (admin) => applyAcls(admin, inboundProducerAcls(`User:${username}`, topic)));
  return { username, password, topic };
}

/** Takes the tenant's inbound credentials and ACLs away (its topic and what is on it stay). */
export async function revokeInboundTenant(tenantId: string, topicPrefix = '', settings: KafkaConnectionSource = process.env): Promise<void> {
  const { username, logical } = inboundIdentity(tenantId);
  const topic = new TopicNamespace(topicPrefix).physical(logical);
  await withAdmin(createKafka('kafka-inbound-tenant', {}, settings), (admin) => removeAcls(admin, inboundProducerAcls(`User:${username}`, topic)));
  await alterScramUser(username, ['--delete-config', 'SCRAM-SHA-512'], settings);
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { prefix: { type: 'string', default: '' }, revoke: { type: 'boolean', default: false } },
  });
  const [tenantId] = positionals;
  if (!tenantId || positionals.length !== 1) {
    process.stderr.write('usage: kafka-inbound-tenant.ts <tenantId> [--prefix P] [--revoke]\n');
    return 2;
  }
  if (values.revoke) {
    await revokeInboundTenant(tenantId, values.prefix);
    process.stdout.write(`Inbound credentials of tenant ${tenantId} revoked (user inbound-${tenantId} and its ACLs removed).\n`);
    return 0;
  }
  const { username, password, topic } = await provisionInboundTenant(tenantId, values.prefix);
  const brokers = kafkaClientConfig('kafka-inbound-tenant').brokers;
  process.stdout.write(
    [
      `Inbound credentials of tenant ${tenantId} (shown once; run again to rotate):`,
      `  bootstrap  ${brokers.join(',')}`,
      '  security   SASL_PLAINTEXT, mechanism SCRAM-SHA-512',
      `  username   ${username}`,
      `  password   ${password}`,
      `  topic      ${topic}  (the only topic this user may write)`,
      '',
    ].join('\n'),
  );
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`kafka-inbound-tenant: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
