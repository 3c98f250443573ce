import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One part of a received message, its body decoded (quoted-printable or base64). */
export interface MailPart {
  headers: Record<string, string>;
  body: string;
}

export interface ReceivedMail {
  /** The envelope's recipients (RCPT TO). */
  to: string[];
  /** Top-level headers, names lower-cased, folded lines joined. */
  headers: Record<string, string>;
  /** Leaf parts of the MIME tree (text/plain, text/html). */
  parts: MailPart[];
  raw: string;
}

/** How the receiver answers RCPT TO for an address: 'flaky' refuses once (451), 'busy' always (451), 'bounce' always (550). */
export type Behaviour = 'flaky' | 'busy' | 'bounce';

function splitHeaders(text: string): { headers: Record<string, string>; body: string } {
  const at = text.indexOf('\r\n\r\n');
  const head = at < 0 ? text : text.slice(0, at);
  const body = at < 0 ? '' : text.slice(at + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decode(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '').toLowerCase()) {
    case 'quoted-printable':
      return Buffer.from(
        body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8');
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

/** The leaf parts of a MIME entity, by a plain split on its boundaries (enough for what nodemailer writes). */
function leaves(headers: Record<string, string>, body: string): MailPart[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (!boundary) return [{ headers, body: decode(body, headers['content-transfer-encoding']) }];
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .flatMap((chunk) => {
      const part = splitHeaders(chunk.replace(/^\r\n/, ''));
      return leaves(part.headers, part.body);
    });
}

/**
 * A local SMTP receiver (smtp-server) on 127.0.0.1 and a free port, plain text (no TLS, no
 * STARTTLS), any or no authentication: it keeps every message it accepts.
 */
export class SmtpReceiver {
  readonly received: ReceivedMail[] = [];
  /** What RCPT TO answers for an address (lower case); absent: accepted. */
  readonly behaviour = new Map<string, Behaviour>();
  private readonly refusals = new Map<string, number>();
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
      onRcptTo: (address, _session, callback) => {
        const who = address.address.toLowerCase();
        const behaviour = this.behaviour.get(who);
        const refused = this.refusals.get(who) ?? 0;
        const refuse = (code: number, text: string) => {
          this.refusals.set(who, refused + 1);
          callback(Object.assign(new Error(text), { responseCode: code }));
        };
        if (behaviour === 'bounce') return refuse(550, `Mailbox <${address.address}> does not exist`);
        if (behaviour === 'busy' || (behaviour === 'flaky' && refused === 0))
          return refuse(451, `Mailbox <${address.address}> busy, try later`);
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const { headers, body } = splitHeaders(raw);
          this.received.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            headers,
            parts: leaves(headers, body),
            raw,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages whose envelope names the address. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** How many times RCPT TO was refused for the address. */
  refusedFor(address: string): number {
    return this.refusals.get(address.toLowerCase()) ?? 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A part of the message by content type. */
export function partOf(mail: ReceivedMail, type: 'text/plain' | 'text/html'): string {
  return mail.parts.find((p) => (p.headers['content-type'] ?? '').startsWith(type))?.body ?? '';
}
