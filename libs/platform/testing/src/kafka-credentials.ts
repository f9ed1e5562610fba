import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Kafka SASL settings of a development user (a service, or `admin`) whose password
 * scripts/infra.sh keeps in `<PROJECTFLO_STATE, default <repo>/.infra>/secrets/kafka-<user>.password`;
 * none when there is no such file (a broker without SASL).
 */
export function devKafkaCredentials(user: string, stateDir: string = process.env['PROJECTFLO_STATE'] ?? join(__dirname, '..', '..', '..', '..', '.infra')): Record<string, string> {
  const file = join(stateDir, 'secrets', `kafka-${user}.password`);
  if (!existsSync(file)) return {};
  return { KAFKA_SASL_USERNAME: user, KAFKA_SASL_PASSWORD: readFileSync(file, 'utf8').trim() };
}
