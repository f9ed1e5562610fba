import { randomUUID } from 'node:crypto';
import { roleNamed, type TenantMember, type UserDirectory, USER_DIRECTORY } from '@projectflo/platform/auth';
import type { RecordedEvent } from '@projectflo/platform/core';
import type { INestApplicationContext } from '@nestjs/common';
import { encodeEvent } from '@projectflo/platform/messaging';
import { eventually } from './eventually';

export interface RelayedEventOptions {
  readonly eventId?: string;
  /** The event's position in its stream (positive, increasing, as the producer's store numbers it). */
  readonly position?: number;
  readonly automationDepth?: number;
  readonly actorId?: string;
}

/** A running service's Nest application (RunningService of platform/grpc has one). */
export interface RunningApp {
  readonly app: Pick<INestApplicationContext, 'get'>;
}

/** Stream positions of the events tests publish without naming one (positive, increasing). */
let nextPosition = 0;

/**
 * An event of `streamName` as `producer`'s relay publishes it (CloudEvents headers, keyed by the
 * stream's id): what a test sends to a consumer that reads another context's topic.
 */
export function relayedEvent(producer: string, streamName: string, tenantId: string, type: string, data: unknown, options: RelayedEventOptions = {}) {
  const now = new Date().toISOString();
  const requestId = randomUUID();
  const event: RecordedEvent = {
    eventId: options.eventId ?? randomUUID(),
    type,
    data,
    schemaVersion: 1,
    metadata: {
      tenantId,
      actorId: options.actorId ?? `user-${producer}`,
      requestId,
      correlationId: requestId,
      causationId: requestId,
      occurredAt: now,
      ...(options.automationDepth !== undefined ? { automationDepth: options.automationDepth } : {}),
    },
    streamName,
    streamPosition: options.position ?? (nextPosition += 1),
    globalPosition: { commit: '1', prepare: String(options.position ?? nextPosition) },
    recordedAt: now,
  };
  return encodeEvent(event, producer);
}

/** Waits until the service's user directory says what `holds` expects of the user (e.g. active with a role). */
export function waitForMember(
  running: RunningApp,
  tenantId: string,
  userId: string,
  holds: (member: TenantMember | undefined) => boolean,
): Promise<TenantMember | undefined> {
  const directory = running.app.get<UserDirectory>(USER_DIRECTORY);
  return eventually(() => directory.member(tenantId, userId), holds, { what: `user ${userId} of ${tenantId} in the user directory`, timeoutMs: 45_000, intervalMs: 100 });
}

/** Waits until the service admits `userId` of `tenantId` as an active user with `role` (spelled either way: `Owner` or `owner`). */
export function waitForActiveMember(running: RunningApp, tenantId: string, userId: string, role: string): Promise<TenantMember | undefined> {
  const expected = roleNamed(role);
  if (!expected) throw new Error(`role ${role} is no platform role`);
  return waitForMember(running, tenantId, userId, (member) => member?.active === true && member.role === expected);
}
