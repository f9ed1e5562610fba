import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, type AclEntry, type Admin, ResourcePatternTypes } from 'kafkajs';
import { deadLetterTopic, publishedTopics, type TopicSelector } from '@projectflo/platform/messaging';
import { consumerGroup, type EventSourcedServiceOptions } from './service-options';

/** Where a service instance's Kafka resources live: the topic prefix and schema of its run (none, and its own schema, in production). */
export interface KafkaAclScope {
  /** KAFKA_TOPIC_PREFIX of the instance ('' for the platform). */
  readonly topicPrefix: string;
  /** The resolved schema (DB_SCHEMA or the service's own), which names its groups and dead-letter topics. */
  readonly schema: string;
}

/** The SCRAM user a service connects as (scripts/infra.sh creates one per service). */
export function servicePrincipal(service: string): string {
  return `User:${service}`;
}

type ResourceKind = 'topic' | 'group';

function allow(principal: string, kind: ResourceKind, selector: TopicSelector, operations: readonly AclOperationTypes[]): AclEntry[] {
  const [name, pattern] = typeof selector === 'string' ? [selector, ResourcePatternTypes.LITERAL] : [selector.prefix, ResourcePatternTypes.PREFIXED];
  const resourceType = kind === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP;
  return operations.map((operation) => ({
    principal,
    host: '*',
    resourceType,
    resourceName: name,
    resourcePatternType: pattern,
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  }));
}

function prefixed(prefix: string, selector: TopicSelector): TopicSelector {
  return typeof selector === 'string' ? `${prefix}${selector}` : { prefix: `${prefix}${selector.prefix}` };
}

const { CREATE, DESCRIBE, READ, WRITE, IDEMPOTENT_WRITE } = AclOperationTypes;

/**
 * What a service's Kafka user may do, from what it declares: write (and create) the topics its
 * relay publishes; create the extra topics it makes sure exist; for each consumer in `consumes`,
 * read its topics in its own group and write its own dead-letter topic. Nothing else: reading a
 * topic it does not consume, writing another service's topic or joining another group is refused.
 */
export function serviceAcls(options: Pick<EventSourcedServiceOptions, 'service' | 'topics' | 'extraTopics' | 'consumes'>, scope: KafkaAclScope): AclEntry[] {
  const principal = servicePrincipal(options.service);
  const p = scope.topicPrefix;
  const acls: AclEntry[] = [
    // The relay's idempotent producer (kafkajs asks for a producer id).
    {
      principal,
      host: '*',
      resourceType: AclResourceTypes.CLUSTER,
      resourceName: 'kafka-cluster',
      resourcePatternType: ResourcePatternTypes.LITERAL,
      operation: IDEMPOTENT_WRITE,
      permissionType: AclPermissionTypes.ALLOW,
    },
  ];
  for (const topic of publishedTopics(options.topics)) acls.push(...allow(principal, 'topic', `${p}${topic}`, [WRITE, DESCRIBE, CREATE]));
  for (const topic of options.extraTopics ?? []) acls.push(...allow(principal, 'topic', `${p}${topic}`, [DESCRIBE, CREATE]));
  for (const [purpose, topics] of Object.entries(options.consumes ?? {})) {
    const group = consumerGroup(scope, purpose);
    acls.push(...allow(principal, 'group', group, [READ, DESCRIBE]));
    for (const topic of topics) acls.push(...allow(principal, 'topic', prefixed(p, topic), [READ, DESCRIBE]));
    acls.push(...allow(principal, 'topic', `${p}${deadLetterTopic(group)}`, [WRITE, DESCRIBE, CREATE]));
  }
  return acls;
}

/** What a tenant's inbound producer may do: write its own inbound topic, nothing else. */
export function inboundProducerAcls(principal: string, topic: string): AclEntry[] {
  return allow(principal, 'topic', topic, [WRITE, DESCRIBE]);
}

/** Creates the ACLs (the broker ignores one that already exists, so applying twice changes nothing). */
export async function applyAcls(admin: Admin, acls: readonly AclEntry[]): Promise<void> {
  if (acls.length > 0) await admin.createAcls({ acl: [...acls] });
}

/** Deletes exactly these ACLs (a test run's, once its topics are gone). */
export async function removeAcls(admin: Admin, acls: readonly AclEntry[]): Promise<void> {
  if (acls.length > 0) await admin.deleteAcls({ filters: acls.map((acl) => ({ ...acl })) });
}
