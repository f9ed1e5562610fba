/**
 * The Kafka ACLs of the five services, computed from what each declares it publishes and consumes
 * (its service options; see serviceAcls), applied with the operator's credentials.
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register scripts/kafka-acls.ts apply [--prefix P] [--schema-suffix S]
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register scripts/kafka-acls.ts list [--prefix P] [--schema-suffix S]
 *
 * scripts/infra.sh applies them at every `up`; an isolated run (e2e) applies them for its
 * KAFKA_TOPIC_PREFIX (--prefix) and schemas (`<schema><suffix>`, --schema-suffix). Applying is
 * idempotent. KAFKA_BROKERS and KAFKA_SASL_USERNAME/PASSWORD of a super user (scripts/env.sh: admin).
 * Exit 0 on success, 1 on a failure, 2 for a usage error.
 */
import { parseArgs } from 'node:util';
import { createKafka, withAdmin } from '@projectflo/platform/messaging';
import { type EventSourcedServiceOptions, applyAcls, serviceAcls } from '@projectflo/platform/service';
import { type AclEntry, AclOperationTypes, AclResourceTypes, type Kafka, ResourcePatternTypes } from 'kafkajs';
import { BUILD_LEDGER_SERVICE_OPTIONS } from '../apps/build-ledger/src/build-ledger.service-options';
import { CRM_SERVICE_OPTIONS } from '../apps/crm/src/crm.service-options';
import { NOTIFICATIONS_SERVICE_OPTIONS } from '../apps/notifications/src/notifications.service-options';
import { SCHEDULING_SERVICE_OPTIONS } from '../apps/scheduling/src/scheduling.service-options';
import { TASK_ENGINE_SERVICE_OPTIONS } from '../apps/task-engine/src/task-engine.service-options';

export const PLATFORM_SERVICES: readonly EventSourcedServiceOptions[] = [
  CRM_SERVICE_OPTIONS,
  TASK_ENGINE_SERVICE_OPTIONS,
  BUILD_LEDGER_SERVICE_OPTIONS,
  SCHEDULING_SERVICE_OPTIONS,
  NOTIFICATIONS_SERVICE_OPTIONS,
];

/** Where a run's services live: its topic prefix, and the suffix of its schemas (`crm_e2e_<run>`: `_e2e_<run>`). */
export interface PlatformAclScope {
  readonly topicPrefix?: string;
  readonly schemaSuffix?: string;
}

/** The ACLs of every service (or of the named ones) of a run. */
export function platformAcls(scope: PlatformAclScope = {}, services: readonly string[] = PLATFORM_SERVICES.map((s) => s.service)): AclEntry[] {
  return PLATFORM_SERVICES.filter((s) => services.includes(s.service)).flatMap((s) =>
    serviceAcls(s, { topicPrefix: scope.topicPrefix ?? '', schema: `${s.schema}${scope.schemaSuffix ?? ''}` }),
  );
}

export async function applyPlatformAcls(kafka: Kafka, scope: PlatformAclScope = {}, services?: readonly string[]): Promise<AclEntry[]> {
  const acls = platformAcls(scope, services);
  await withAdmin(kafka, (admin) => applyAcls(admin, acls));
  return acls;
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { prefix: { type: 'string', default: '' }, 'schema-suffix': { type: 'string', default: '' } },
  });
  const [action] = positionals;
  const scope = { topicPrefix: values.prefix, schemaSuffix: values['schema-suffix'] };
  if (action === 'list') {
    for (const acl of platformAcls(scope)) process.stdout.write(`${describeAcl(acl)}\n`);
    return 0;
  }
  if (action !== 'apply') {
    process.stderr.write('usage: kafka-acls.ts apply|list [--prefix P] [--schema-suffix S]\n');
    return 2;
  }
  const acls = await applyPlatformAcls(createKafka('kafka-acls'), scope);
  process.stdout.write(`applied ${acls.length} ACLs for ${PLATFORM_SERVICES.length} services (prefix '${scope.topicPrefix}')\n`);
  return 0;
}

const nameOf = (values: object, value: number): string => Object.entries(values).find(([, v]) => v === value)?.[0] ?? String(value);

function describeAcl(acl: AclEntry): string {
  const resource = `${nameOf(AclResourceTypes, acl.resourceType)} ${nameOf(ResourcePatternTypes, acl.resourcePatternType)} ${acl.resourceName}`;
  return `${acl.principal} may ${nameOf(AclOperationTypes, acl.operation)} ${resource}`;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`kafka-acls: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
