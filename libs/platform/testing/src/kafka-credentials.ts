import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devSecretsDir } from '@projectflo/platform/secrets';

/**
 * The Kafka SASL settings of a development user (a service, or `admin`) whose password
 * scripts/infra.sh keeps in `<devSecretsDir>/kafka-<user>.password`; none when there is no such
 * file (a broker without SASL).
 */
export function devKafkaCredentials(user: string, secretsDir: string = devSecretsDir()): Record<string, string> {
  const file = join(secretsDir, `kafka-${user}.password`);
  if (!existsSync(file)) return {};
  return { KAFKA_SASL_USERNAME: user, KAFKA_SASL_PASSWORD: readFileSync(file, 'utf8').trim() };
}

/** The Kafka connection of this process (scripts/env.sh), for a service a test boots with an environment of its own. */
export function kafkaEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const variables = ['KAFKA_BROKERS', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const;
  return Object.fromEntries(variables.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}
