import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * Recorded workflow histories kept as JSON fixtures for replay tests (RELIABILITY 10). The SDK's
 * historyToJSON fails on payload metadata with the installed proto3-json-serializer (2.0.2), so
 * histories are stored as protobufjs plain objects (enums and int64 as strings, bytes as base64)
 * and read back with History.fromObject. Record them decrypted (decryptHistory), so they replay
 * on machines without the recording machine's payload key.
 */
const History = temporal.api.history.v1.History;

export function historyFixtureJson(workflowId: string, history: temporal.api.history.v1.IHistory): string {
  const plain = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
  return `${JSON.stringify({ workflowId, history: plain }, null, 2)}\n`;
}

/** Every `*.history.json` fixture in `dir`, ready for replayHistories. */
export function loadHistoryFixtures(dir: string): HistoryAndWorkflowId[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.history.json'))
    .sort()
    .map((name) => {
      const parsed = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { workflowId: string; history: Record<string, unknown> };
      return { workflowId: parsed.workflowId, history: History.fromObject(parsed.history) };
    });
}
