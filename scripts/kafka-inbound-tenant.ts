/**
 * Provisions a tenant's inbound Kafka credentials: a SCRAM user `inbound-<tenantId>` allowed to
 * write only the tenant's topic `tasks.external-events.in.v1.<tenantId>` (created here), so the
 * task-engine knows the tenant of every inbound message from its topic, not from what the producer
 * wrote. The password is printed once and not kept: run it again to rotate (the old one stops
 * working).
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register scripts/kafka-inbound-tenant.ts <tenantId> [--prefix P]
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
import { applyAcls, inboundProducerAcls } from '@projectflo/platform/service';
import { externalEventsInboundTopic } from '@projectflo/task-engine/domain';

export interface InboundCredentials {
  readonly username: string;
  readonly password: string;
  /** The physical topic the user may write. */
  readonly topic: string;
}

/** Creates (or re-keys) the tenant's SCRAM user, its topic and its ACLs. */
export async function provisionInboundTenant(tenantId: string, topicPrefix = '', settings: KafkaConnectionSource = process.env): Promise<InboundCredentials> {
  const username = `inbound-${tenantId}`;
  const password = randomBytes(24).toString('base64url');
  const logical = externalEventsInboundTopic(tenantId);
  const namespace = new TopicNamespace(topicPrefix);
  await upsertScramUser(username, password, settings);
  const kafka = createKafka('kafka-inbound-tenant', {}, settings);
  await withAdmin(namespace.wrap(kafka), (admin) => ensureTopics(admin, [logical]));
  const topic = namespace.physical(logical);
  await withAdmin(kafka, (admin) => applyAcls(admin, inboundProducerAcls(`User:${username}`, topic)));
  return { username, password, topic };
}

/** SCRAM-SHA-512 credentials for `username` through Kafka's own ConfigCommand, as the super user of `settings`. */
async function upsertScramUser(username: string, password: string, settings: KafkaConnectionSource): Promise<void> {
  const config = kafkaClientConfig('kafka-inbound-tenant', settings);
  if (!config.sasl || config.sasl.mechanism !== 'scram-sha-512') throw new Error('KAFKA_SASL_USERNAME/PASSWORD of a super user are required');
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
    await promisify(execFile)(
      'java',
      [
        '-Xmx256m',
        '-XX:TieredStopAtLevel=1',
        '-cp',
        `${libs}/*`,
        'kafka.admin.ConfigCommand',
        '--bootstrap-server',
        config.brokers.join(','),
        '--command-config',
        properties,
        '--alter',
        '--entity-type',
        'users',
        '--entity-name',
        username,
        '--add-config',
        `SCRAM-SHA-512=[iterations=8192,password=${password}]`,
      ],
      { timeout: 60_000 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { prefix: { type: 'string', default: '' } } });
  const [tenantId] = positionals;
  if (!tenantId || positionals.length !== 1) {
    process.stderr.write('usage: kafka-inbound-tenant.ts <tenantId> [--prefix P]\n');
    return 2;
  }
  const { username, password, topic } = await provisionInboundTenant(tenantId, values.prefix);
  const brokers = kafkaClientConfig('kafka-inbound-tenant').brokers;
  process.stdout.write(
    [
      `Inbound credentials of tenant ${tenantId} (shown once; run again to rotate):`,
      `  bootstrap  ${Array.isArray(brokers) ? brokers.join(',') : ''}`,
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
