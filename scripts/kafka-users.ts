/**
 * SCRAM users of the Kafka broker: Kafka's own ConfigCommand changes them (kafkajs cannot), with
 * the operator's credentials. `rotate` gives a user a new random password and writes it where
 * scripts/infra.sh keeps the development ones; restart what connects as that user afterwards
 * (a service: `bash scripts/platform.sh down --keep-infra && bash scripts/platform.sh up`;
 * `admin`: `bash scripts/infra.sh restart kafka`, which renders the broker's own login from it).
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register scripts/kafka-users.ts rotate <user> [--password-file F]
 *
 * KAFKA_BROKERS and KAFKA_SASL_USERNAME/PASSWORD of a super user (scripts/env.sh: admin);
 * PROJECTFLO_KAFKA_LIBS: the Kafka jars (scripts/env.sh). Exit 0 on success, 1 on a failure, 2
 * for a usage error.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { type KafkaConnectionSource, kafkaClientConfig } from '@projectflo/platform/messaging';
import { devSecretsDir } from '@projectflo/platform/secrets';

/** A random password (32 characters of base64url). */
export function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/** Changes `username`'s SCRAM credentials (`--add-config …` / `--delete-config …`) as the super user of `settings`. */
export async function alterScramUser(username: string, change: readonly string[], settings: KafkaConnectionSource = process.env): Promise<void> {
  const config = kafkaClientConfig('kafka-users', settings);
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

/** Sets a new random password for `username` and writes it to `passwordFile` (0600). */
export async function rotatePassword(username: string, passwordFile: string, settings: KafkaConnectionSource = process.env): Promise<void> {
  const password = newPassword();
  await alterScramUser(username, ['--add-config', `SCRAM-SHA-512=[iterations=8192,password=${password}]`], settings);
  writeFileSync(passwordFile, password, { mode: 0o600 });
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { 'password-file': { type: 'string' } } });
  const [action, user] = positionals;
  if (action !== 'rotate' || !user || positionals.length !== 2) {
    process.stderr.write('usage: kafka-users.ts rotate <user> [--password-file F]\n');
    return 2;
  }
  const file = values['password-file'] ?? join(devSecretsDir(), `kafka-${user}.password`);
  await rotatePassword(user, file);
  process.stdout.write(`new password of Kafka user ${user} written to ${file}; restart what connects as ${user}\n`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`kafka-users: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
