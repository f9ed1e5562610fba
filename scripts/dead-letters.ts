/**
 * Lists and redrives the dead letters of a consumer group (runbook: docs/runbooks/dead-letters.md).
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register scripts/dead-letters.ts list <dlq topic>
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register scripts/dead-letters.ts redrive <dlq topic> [--offset N [--partition P]]
 *
 * KAFKA_BROKERS and the operator's KAFKA_SASL_USERNAME/PASSWORD as scripts/env.sh sets them. A dead-letter topic is `<consumer group>.dlq`,
 * e.g. `task_engine.read-model.dlq`. `list` prints one line per dead letter: its position
 * (partition:offset), whether it is pending or redriven, when and where it failed, the event and
 * the reason. `redrive` republishes every pending dead letter (or only the one at --offset) to
 * its original topic and partition with its original key, value and headers, and prints what it
 * sent. Exit 0 on success, 1 on a failure, 2 for a usage error.
 */
import { parseArgs } from 'node:util';
import { logLevel } from 'kafkajs';
import { baseConfigSchema, loadConfig } from '@projectflo/platform/config';
import { type DeadLetter, createKafka, listDeadLetters, position, redriveDeadLetters } from '@projectflo/platform/messaging';
import { runCli, UsageError } from './cli';

const USAGE = 'usage: dead-letters.ts list <dlq topic> | redrive <dlq topic> [--offset N [--partition P]]';


interface Command {
  readonly action: 'list' | 'redrive';
  readonly topic: string;
  readonly offset?: string;
  readonly partition?: number;
}

const OPTIONS = { offset: { type: 'string' }, partition: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

function parseOptions(argv: string[]): ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>> {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

function parseCommand(argv: string[]): Command {
  const { values, positionals } = parseOptions(argv);
  const [action, topic, ...extra] = positionals;
  if (values.help || !topic || extra.length > 0 || (action !== 'list' && action !== 'redrive')) throw new UsageError(USAGE);
  if (action === 'list' && (values.offset !== undefined || values.partition !== undefined)) throw new UsageError(`list takes no options\n${USAGE}`);
  if (values.offset !== undefined && !/^\d+$/.test(values.offset)) throw new UsageError(`--offset must be a non-negative integer\n${USAGE}`);
  if (values.partition !== undefined && (values.offset === undefined || !/^\d+$/.test(values.partition))) {
    throw new UsageError(`--partition needs --offset and a non-negative integer\n${USAGE}`);
  }
  return { action, topic, offset: values.offset, partition: values.partition === undefined ? undefined : Number(values.partition) };
}

function describe(d: DeadLetter): string {
  const origin = `${d.originalTopic ?? '?'}[${d.originalPartition ?? '?'}]@${d.originalOffset ?? '?'}`;
  const event = d.eventType ? `${d.eventType} ${d.eventId ?? ''}`.trim() : `key ${d.key?.toString('utf8') ?? '(none)'}`;
  const failure = [d.errorClass && `class=${d.errorClass}`, d.errorCode && `code=${d.errorCode}`, d.attempts && `attempts=${d.attempts}`].filter(Boolean).join(' ');
  return [position(d), d.redriven ? 'redriven' : 'pending ', d.failedAt ?? '?', origin, `group=${d.consumerGroup ?? '?'}`, event, failure, `reason: ${d.reason ?? '?'}`]
    .filter((part) => part !== '')
    .join('  ');
}

async function main(): Promise<number> {
  const command = parseCommand(process.argv.slice(2));
  const settings = loadConfig(baseConfigSchema.pick({ KAFKA_BROKERS: true, KAFKA_SASL_USERNAME: true, KAFKA_SASL_PASSWORD: true }));
  const kafka = createKafka('dead-letters', { logLevel: logLevel.ERROR }, settings);
  if (command.action === 'list') {
    const deadLetters = await listDeadLetters(kafka, command.topic);
    const pending = deadLetters.filter((d) => !d.redriven).length;
    process.stdout.write(`${command.topic}: ${deadLetters.length} dead letters, ${pending} pending\n`);
    for (const d of deadLetters) process.stdout.write(`${describe(d)}\n`);
    return 0;
  }
  const { redriven } = await redriveDeadLetters(kafka, command.topic, { offset: command.offset, partition: command.partition });
  for (const d of redriven) process.stdout.write(`redriven ${position(d)} -> ${d.originalTopic}[${d.originalPartition}]  ${d.eventType ?? ''} ${d.eventId ?? ''}\n`);
  process.stdout.write(`${command.topic}: ${redriven.length} dead letters redriven\n`);
  return 0;
}

runCli(main, (error) => `dead-letters failed: ${error instanceof Error ? error.message : String(error)}`);
