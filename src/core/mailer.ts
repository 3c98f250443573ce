import type { JobsOptions } from 'bullmq';
import { createTransport, type Transporter } from 'nodemailer';
import type { Env } from './env';

export interface MailSettings {
  /** smtp:// or smtps:// with the relay's credentials (SMTP_URL). */
  url: string;
  /** SMTP_FROM. */
  from: string;
  /** Connection, greeting and socket timeouts (EMAIL_TIMEOUT_MS). */
  timeoutMs: number;
  /** Tries per message (EMAIL_ATTEMPTS) and the first retry delay, doubling (EMAIL_RETRY_BASE_MS). */
  attempts: number;
  retryBaseMs: number;
}

export interface OutgoingMail {
  to: string | string[];
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  /** The local part of the Message-ID (the domain is SMTP_FROM's): stable across retries, so a mailbox can tell a resend. */
  messageId?: string;
}

/** Why a send failed, for the outbox and the logs: no address, no credentials, at most 300 characters. */
export interface MailFailure {
  /** The relay refused for good (a 5xx answer): trying again would get the same answer. */
  permanent: boolean;
  reason: string;
}

/**
 * Sends mail through the SMTP relay of SMTP_URL with nodemailer, one connection per message (not
 * pooled). Mail here is opt-in digests, at most one per person per sweep, and a notice now and
 * then: a pool would keep connections open between sweeps that relays close when idle, and its
 * per-connection state (a connection broken mid-batch) is one more way to fail, for a handshake
 * saved per message. Timeouts are ours (nodemailer waits up to 10 minutes on a silent socket):
 * a stuck relay fails the attempt, which BullMQ retries.
 */
export class Mailer {
  private readonly transport: Transporter;

  constructor(private readonly settings: MailSettings) {
    this.transport = createTransport({
      url: settings.url,
      pool: false,
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
      // Nothing of a message is ever read from a file or fetched from a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const domain = /@([^\s@<>]+)>?$/.exec(this.settings.from)?.[1] ?? 'perks.local';
    await this.transport.sendMail({
      from: this.settings.from,
      ...mail,
      messageId: mail.messageId ? `<${mail.messageId}@${domain}>` : undefined,
    });
  }

  /** BullMQ options of a job that sends mail: the configured tries with exponential backoff, one job per `jobId`. */
  jobOptions(jobId: string): JobsOptions {
    return { jobId, attempts: this.settings.attempts, backoff: { type: 'exponential', delay: this.settings.retryBaseMs } };
  }

  get attempts(): number {
    return this.settings.attempts;
  }
}

/** The mailer of SMTP_URL, or null when e-mail is off. */
export function createMailer(env: Env): Mailer | null {
  if (!env.SMTP_URL) return null;
  return new Mailer({
    url: env.SMTP_URL,
    from: env.SMTP_FROM,
    timeoutMs: env.EMAIL_TIMEOUT_MS,
    attempts: env.EMAIL_ATTEMPTS,
    retryBaseMs: env.EMAIL_RETRY_BASE_MS,
  });
}

const ADDRESS = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;
const URL_CREDENTIALS = /\b(smtps?:\/\/)[^@\s/]+@/gi;

/**
 * A failed send, worded for the outbox: the relay's answer (which often repeats the recipient's
 * address) with every address and URL credential blanked. 5xx answers are permanent.
 */
export function mailFailure(error: unknown): MailFailure {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string; permanent?: boolean };
  const permanent = e.permanent === true || (typeof e.responseCode === 'number' && e.responseCode >= 500);
  const said = String(e.response ?? e.message ?? error)
    .replace(URL_CREDENTIALS, '$1***@')
    .replace(ADDRESS, '<address>')
    .replace(/\s+/g, ' ')
    .trim();
  const reason = [e.code, said].filter(Boolean).join(': ');
  return { permanent, reason: reason.slice(0, 300) };
}
