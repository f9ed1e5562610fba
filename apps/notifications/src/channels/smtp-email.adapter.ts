import { createHash } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import {
  type ChannelAdapter,
  type DeliveryError,
  type OutboundMessage,
  PermanentDeliveryError,
  TransientDeliveryError,
} from './channel-adapter';
import type { ChannelCredentialsSource, ChannelEndpoints } from './channel-credentials';

/** One mailbox, no display-name tricks: what a recipient's address must look like. */
const MAILBOX = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;

/** The domain of every Message-ID: `<delivery id>@projectflo.notifications`. */
export const MESSAGE_ID_DOMAIN = 'projectflo.notifications';

/** The Message-ID of a delivery: the same for every attempt, so a mail system can tell a retry from a new message. */
export const messageIdOf = (deliveryId: string) => `<${deliveryId}@${MESSAGE_ID_DOMAIN}>`;

/** Pooled connections per tenant's SMTP identity. */
const MAX_CONNECTIONS = 5;

/**
 * Email through SMTP with nodemailer: the service's relay (SMTP_HOST/SMTP_PORT; Mailpit in
 * development) with the tenant's sender and credentials from its channel settings. One pooled
 * transport per tenant, replaced when its credentials change. The delivery id is the Message-ID.
 *
 * Failures: an SMTP reply 4xx is transient, 5xx permanent (RFC 5321); a recipient the server
 * rejected, a malformed address or refused credentials are permanent; a connection, TLS or timeout
 * failure is transient.
 */
export class SmtpEmailAdapter implements ChannelAdapter {
  readonly channel = 'email' as const;
  private readonly transports = new Map<string, { fingerprint: string; transport: Transporter<SMTPPool.SentMessageInfo> }>();

  constructor(
    private readonly credentials: ChannelCredentialsSource,
    private readonly endpoints: Pick<ChannelEndpoints, 'smtp' | 'defaultFromAddress' | 'timeoutMs'>,
  ) {}

  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    if (!MAILBOX.test(message.to)) throw new PermanentDeliveryError('email', 'the recipient has no valid email address');
    const { email } = await this.credentials.forTenant(message.tenantId);
    const from = email?.fromAddress ?? this.endpoints.defaultFromAddress;
    const transport = this.transportFor(message.tenantId, email?.username ?? null, email?.password?.reveal() ?? null);
    let info: SMTPPool.SentMessageInfo;
    try {
      info = await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined ? { html: message.html } : {}),
        messageId: messageIdOf(message.deliveryId),
        headers: { 'X-ProjectFlo-Delivery-Id': message.deliveryId },
        attachments: (message.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      });
    } catch (error) {
      throw classifySmtpError(error);
    }
    const rejected = info.rejected ?? [];
    if (rejected.length > 0) throw new PermanentDeliveryError('email', 'the SMTP server rejected the recipient');
    return { providerMessageId: info.messageId || messageIdOf(message.deliveryId) };
  }

  /** Closes every pooled connection (the service's shutdown, a test's end). */
  close(): void {
    for (const { transport } of this.transports.values()) transport.close();
    this.transports.clear();
  }

  private transportFor(tenantId: string, user: string | null, pass: string | null): Transporter<SMTPPool.SentMessageInfo> {
    const fingerprint = createHash('sha256').update(JSON.stringify([user, pass])).digest('base64');
    const cached = this.transports.get(tenantId);
    if (cached?.fingerprint === fingerprint) return cached.transport;
    cached?.transport.close();
    const { host, port, secure } = this.endpoints.smtp;
    const transport = createTransport({
      pool: true,
      maxConnections: MAX_CONNECTIONS,
      host,
      port,
      secure,
      ...(user !== null && pass !== null ? { auth: { user, pass } } : {}),
      connectionTimeout: this.endpoints.timeoutMs,
      greetingTimeout: this.endpoints.timeoutMs,
      socketTimeout: this.endpoints.timeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    this.transports.set(tenantId, { fingerprint, transport });
    return transport;
  }
}

/** nodemailer's error (code, SMTP responseCode) as the delivery outcome; its message is never kept (it may echo addresses). */
export function classifySmtpError(error: unknown): DeliveryError {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const smtpCode = typeof responseCode === 'number' ? responseCode : null;
  const label = `${typeof code === 'string' ? code : 'SMTP error'}${smtpCode !== null ? ` ${smtpCode}` : ''}`;
  if (smtpCode !== null && smtpCode >= 400 && smtpCode < 500) return new TransientDeliveryError('email', `SMTP server deferred: ${label}`);
  if (smtpCode !== null && smtpCode >= 500) return new PermanentDeliveryError('email', `SMTP server refused: ${label}`);
  if (code === 'EENVELOPE' || code === 'EAUTH' || code === 'ENOAUTH' || code === 'EMESSAGE') {
    return new PermanentDeliveryError('email', `SMTP refused: ${label}`);
  }
  return new TransientDeliveryError('email', `SMTP unreachable: ${label}`);
}
