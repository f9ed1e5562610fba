import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';

/**
 * Where a Kafka client connects and as whom: the variables of a service's config and of
 * scripts/env.sh. KAFKA_BROKERS is a comma-separated list (the environment) or already split (a
 * parsed service config).
 */
export interface KafkaConnectionSettings {
  readonly KAFKA_BROKERS?: string | readonly string[];
  readonly KAFKA_SASL_USERNAME?: string;
  readonly KAFKA_SASL_PASSWORD?: string;
}

/** The environment (scripts/env.sh) or a parsed service config. */
export type KafkaConnectionSource = KafkaConnectionSettings | NodeJS.ProcessEnv;

/** What a caller may add to the connection: its log level and creator, retries, timeouts. */
export type KafkaClientOptions = Omit<KafkaConfig, 'clientId' | 'brokers' | 'sasl' | 'ssl'>;

/** A kafkajs config as kafkaClientConfig builds it: a broker list, and SCRAM credentials when configured. */
export type ScramKafkaConfig = KafkaConfig & { brokers: string[]; sasl?: { mechanism: 'scram-sha-512'; username: string; password: string } };

const DEFAULT_BROKERS = '127.0.0.1:9092';

/**
 * The one place a kafkajs client config is built, for services, scripts, benches and tests: the
 * brokers, and SASL/SCRAM-SHA-512 as KAFKA_SASL_USERNAME with KAFKA_SASL_PASSWORD (each service
 * its own user, the operator `admin`; see docs/SECURITY.md). Without a username the client
 * connects without SASL, which a broker started by scripts/infra.sh refuses.
 */
export function kafkaClientConfig(clientId: string, settings: KafkaConnectionSource = process.env, options: KafkaClientOptions = {}): ScramKafkaConfig {
  const { KAFKA_BROKERS: raw = DEFAULT_BROKERS, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = settings as KafkaConnectionSettings;
  const brokers = (typeof raw === 'string' ? raw.split(',') : [...raw]).map((b) => b.trim()).filter((b) => b.length > 0);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS names no broker');
  if (!username) return { logLevel: logLevel.NOTHING, ...options, clientId, brokers };
  if (!password) throw new Error(`KAFKA_SASL_USERNAME is ${username} but KAFKA_SASL_PASSWORD is not set`);
  return { logLevel: logLevel.NOTHING, ...options, clientId, brokers, sasl: { mechanism: 'scram-sha-512', username, password } };
}

/** A kafkajs client built by kafkaClientConfig (settings default to the environment). */
export function createKafka(clientId: string, options: KafkaClientOptions = {}, settings: KafkaConnectionSource = process.env): Kafka {
  return new Kafka(kafkaClientConfig(clientId, settings, options));
}
