import { eventually } from '@projectflo/platform/testing';

/*
 * The local mail server of scripts/infra.sh (Mailpit): what reached an inbox, read through its
 * HTTP API (MAILPIT_URL, scripts/env.sh). Tests address mail to addresses of their own run, so a
 * search by recipient sees only their messages.
 */

const MAILPIT_URL = process.env['MAILPIT_URL'] ?? 'http://127.0.0.1:8025';

export interface ArrivedMessage {
  readonly id: string;
  readonly subject: string;
  readonly to: readonly string[];
  readonly attachments: number;
  readonly created: string;
}

export interface MessageDetail extends ArrivedMessage {
  readonly text: string;
  readonly messageIdHeader: string;
  readonly attachmentFiles: readonly { readonly fileName: string; readonly contentType: string; readonly partId: string }[];
}

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${MAILPIT_URL}${path}`, init);
  if (!response.ok) throw new Error(`Mailpit ${init?.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface SearchResult {
  readonly messages: readonly { ID: string; Subject: string; To: readonly { Address: string }[]; Attachments: number; Created: string }[];
}

/** Every message to `address`, oldest first. */
export async function messagesTo(address: string): Promise<ArrivedMessage[]> {
  const result = await api<SearchResult>(`/api/v1/search?limit=500&query=${encodeURIComponent(`to:"${address}"`)}`);
  return result.messages
    .map((m) => ({ id: m.ID, subject: m.Subject, to: m.To.map((t) => t.Address), attachments: m.Attachments, created: m.Created }))
    .sort((a, b) => a.created.localeCompare(b.created));
}

/** Waits until `address` has messages for which `holds` is true, and returns them. */
export function untilMessagesTo(address: string, holds: (messages: ArrivedMessage[]) => boolean, what: string, timeoutMs = 120_000): Promise<ArrivedMessage[]> {
  return eventually(() => messagesTo(address), holds, { what, timeoutMs, intervalMs: 500 });
}

interface MessageResult {
  readonly ID: string;
  readonly MessageID: string;
  readonly Subject: string;
  readonly To: readonly { Address: string }[];
  readonly Text: string;
  readonly Created?: string;
  readonly Date?: string;
  readonly Attachments: readonly { FileName: string; ContentType: string; PartID: string }[];
}

/** One message with its text and attachments. */
export async function message(id: string): Promise<MessageDetail> {
  const m = await api<MessageResult>(`/api/v1/message/${encodeURIComponent(id)}`);
  return {
    id: m.ID,
    subject: m.Subject,
    to: m.To.map((t) => t.Address),
    attachments: m.Attachments.length,
    created: m.Created ?? m.Date ?? '',
    text: m.Text,
    messageIdHeader: m.MessageID,
    attachmentFiles: m.Attachments.map((a) => ({ fileName: a.FileName, contentType: a.ContentType, partId: a.PartID })),
  };
}

/** The raw bytes of one attachment, as text (an .ics file, say). */
export async function attachmentText(id: string, partId: string): Promise<string> {
  const response = await fetch(`${MAILPIT_URL}/api/v1/message/${encodeURIComponent(id)}/part/${encodeURIComponent(partId)}`);
  if (!response.ok) throw new Error(`Mailpit attachment ${id}/${partId}: ${response.status}`);
  return response.text();
}

/**
 * How many messages Mailpit has dropped since it started because it already held their Message-ID
 * (scripts/infra.sh runs it with --ignore-duplicate-ids): the SMTP hand-offs repeated by a retry.
 */
export async function duplicatesDropped(): Promise<number> {
  return (await api<{ RuntimeStats?: { SMTPIgnored?: number } }>('/api/v1/info')).RuntimeStats?.SMTPIgnored ?? 0;
}

/** Deletes every message to `address` (what a test sent). */
export async function deleteMessagesTo(address: string): Promise<void> {
  const ids = (await messagesTo(address)).map((m) => m.id);
  if (ids.length > 0) await api(`/api/v1/messages`, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ IDs: ids }) });
}
