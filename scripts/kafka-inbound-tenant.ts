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
 * PROJECTFLO_KAFKA_LIBS: the Kafka jars (SCRAM users are created with Kafka's ConfigCommand, which
 * kafkajs cannot do). Exit 0 on success, 1 on a failure, 2 for a usage error.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { type KafkaConnectionSource, TopicNamespace, createKafka, ensureTopics, kafkaClientConfig, withAdmin } from '@projectflo/platform/messaging';
import { applyAcls, inboundProducerAcls, removeAcls } from '@projectflo/platform/service';
import { externalEventsInboundTopic } from '@projectflo/task-engine/domain';

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
  const password = randomBytes(24).toString('base64url');
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

/** Changes `username`'s SCRAM credentials with Kafka's own ConfigCommand (kafkajs cannot), as the super user of `settings`. */
async function alterScramUser(username: string, change: readonly string[], settings: KafkaConnectionSource): Promise<void> {
  const config = kafkaClientConfig('kafka-inbound-tenant', settings);
  if (!config.sasl) throw new Error('KAFKA_SASL_USERNAME/PASSWORD of a super user are required');
  const libs = process.env['PROJECTFLO_KAFKA_LIBS'] ?? join(process.env['HOME'] ?? '', '.cache', 'projectflo', 'kafka-3.9.1', 'libs');
  const dir = mkdtempSync(join(tmpdir(), 'kafka-admin-'));
  const properties = join(dir, 'admin.properties');
  try {
    writeFileSync(
      properties,
      [
        'security.protocol=SASL_PLAINTEXT',
        'sasl.mechanism=SCRAM-SHA-512',
        `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${config.sasl.username}" password="${config.sasl.password}";`,
      ].join('\n'),
      { mode: 0o600 },
    );
    const command = ['kafka.admin.ConfigCommand', '--bootstrap-server', config.brokers.join(','), '--command-config', properties];
    await promisify(execFile)('java', ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-cp', `${libs}/*`, ...command, '--alter', '--entity-type', 'users', '--entity-name', username, ...change], {
      timeout: 60_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
