/**
 * Where messages go: an SMTP server (nodemailer) configured from the environment, or, when no
 * SMTP_HOST is set, the outbox (messages are kept rendered in the database for admins to read).
 *
 * ---- README: e-mail settings (environment) ---------------------------------------------------
 * SMTP_HOST       SMTP server host name. Unset → no e-mail is sent: messages go to the outbox
 *                 (Admin → Mail), which is what the demo uses.
 * SMTP_PORT       Port (default 465 when SMTP_SECURE is true, else 587).
 * SMTP_SECURE     true: TLS from the first byte (port 465). false: plain connection upgraded with
 *                 STARTTLS when the server offers it (587/25). Default: true only on port 465.
 * SMTP_USER       Login, if the server requires one. SMTP_PASSWORD must then be set too. With a
 *                 login on a non-TLS port, STARTTLS is required (credentials never go in clear),
 *                 except to a loopback host.
 * SMTP_PASSWORD   Password for SMTP_USER.
 * MAIL_FROM       Sender, e.g. "Sở KH&CN Hà Nội <khaosat@dost.hanoi.gov.vn>". Required with SMTP_HOST.
 *                 Its domain also names the Message-IDs.
 * The queue worker retries a failed send with exponential backoff (1, 2, 4, 8 … minutes, at most
 * 1 hour between tries) up to 5 attempts, then marks the message failed with the reason; a
 * recipient refused by the server (5xx at RCPT TO) fails at once. Admins can re-queue it.
 * -----------------------------------------------------------------------------------------------
 */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';

export interface SmtpConfig {
	host: string;
	port: number;
	secure: boolean;
	user?: string;
	password?: string;
	/** The From header, e.g. `TechCap <no-reply@example.vn>`. */
	from: string;
	/** Refuse to authenticate without TLS (set when credentials go to a non-loopback host without SMTP_SECURE). */
	requireTLS?: boolean;
}

/** Invalid mail settings; the message names the variable. */
export class MailConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MailConfigError';
	}
}

/** What the worker hands to a transport. */
export interface OutgoingMail {
	to: string;
	subject: string;
	html: string;
	text: string;
	/** Full Message-ID header value, angle brackets included. */
	messageId: string;
	/** Extra headers (e.g. X-TechCap-Mail-Id). */
	headers?: Record<string, string>;
}

export interface SentInfo {
	messageId: string;
	/** The server's final reply, e.g. "250 OK: message queued". */
	response: string;
}

export interface MailTransport {
	/** outbox: nothing is sent; the worker files each message in the outbox instead. */
	readonly kind: 'smtp' | 'outbox';
	readonly from: string;
	/** One line for logs and the CLI, without credentials. */
	readonly description: string;
	send(mail: OutgoingMail): Promise<SentInfo>;
	close(): void;
}

const DEFAULT_FROM = 'TechCap <no-reply@techcap.invalid>';

function parseBool(name: string, raw: string): boolean {
	const v = raw.trim().toLowerCase();
	if (['true', '1', 'yes', 'on'].includes(v)) return true;
	if (['false', '0', 'no', 'off'].includes(v)) return false;
	throw new MailConfigError(`${name} must be true or false (got '${raw}')`);
}

/** The address inside `Name <addr>` or a bare `addr`, or null when there is none. */
export function addressOf(from: string): string | null {
	const m = /<\s*([^<>\s]+@[^<>\s]+)\s*>\s*$/.exec(from) ?? /^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(from);
	return m ? m[1] : null;
}

function isLoopback(host: string): boolean {
	return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

/**
 * Reads the SMTP settings (see the block at the top of this file). Returns null when SMTP_HOST is
 * unset (outbox mode); throws MailConfigError naming the variable when a setting is invalid.
 */
export function smtpConfigFromEnv(env: Record<string, string | undefined> = process.env): SmtpConfig | null {
	const host = env.SMTP_HOST?.trim();
	if (!host) return null;
	const secureRaw = env.SMTP_SECURE?.trim();
	const portRaw = env.SMTP_PORT?.trim();
	let port: number | undefined;
	if (portRaw) {
		port = Number(portRaw);
		if (!Number.isInteger(port) || port < 1 || port > 65535)
			throw new MailConfigError(`SMTP_PORT must be a port number from 1 to 65535 (got '${portRaw}')`);
	}
	const secure = secureRaw ? parseBool('SMTP_SECURE', secureRaw) : port === 465;
	port ??= secure ? 465 : 587;
	const user = env.SMTP_USER?.trim() || undefined;
	const password = env.SMTP_PASSWORD || undefined;
	if (user && !password) throw new MailConfigError('SMTP_PASSWORD must be set when SMTP_USER is set');
	if (password && !user) throw new MailConfigError('SMTP_USER must be set when SMTP_PASSWORD is set');
	const from = env.MAIL_FROM?.trim();
	if (!from)
		throw new MailConfigError(
			'MAIL_FROM must be set when SMTP_HOST is set (e.g. "TechCap <no-reply@example.vn>")'
		);
	if (!addressOf(from))
		throw new MailConfigError(`MAIL_FROM must be an address or "Name <address>" (got '${from}')`);
	return {
		host,
		port,
		secure,
		user,
		password,
		from,
		requireTLS: !!user && !secure && !isLoopback(host)
	};
}

/**
 * The Message-ID for a queued message: a hash of its dedupe key (or id), so every attempt, by any
 * worker, sends the same Message-ID. A resend after an ambiguous crash is then recognisable as
 * the same message (many mailbox providers collapse it; tests count it).
 */
export function messageIdFor(key: string, from: string): string {
	const domain = addressOf(from)?.split('@')[1] ?? 'techcap.invalid';
	const hash = createHash('sha256').update(`techcap-mail\0${key}`).digest('hex').slice(0, 32);
	return `<${hash}@${domain}>`;
}

export interface SmtpTransportOptions {
	/** Keep one connection open across a batch (default true). */
	pool?: boolean;
	/** Per-stage SMTP timeouts in ms; they bound a send well inside the worker's claim lease. */
	connectionTimeoutMs?: number;
	greetingTimeoutMs?: number;
	socketTimeoutMs?: number;
}

export function createSmtpTransport(config: SmtpConfig, options: SmtpTransportOptions = {}): MailTransport {
	const common = {
		host: config.host,
		port: config.port,
		secure: config.secure,
		requireTLS: config.requireTLS ?? false,
		auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
		connectionTimeout: options.connectionTimeoutMs ?? 15_000,
		greetingTimeout: options.greetingTimeoutMs ?? 15_000,
		socketTimeout: options.socketTimeoutMs ?? 30_000
	};
	const transporter =
		options.pool === false
			? nodemailer.createTransport(common)
			: nodemailer.createTransport({ ...common, pool: true, maxConnections: 1, maxMessages: 100 });
	return {
		kind: 'smtp',
		from: config.from,
		description: `SMTP ${config.host}:${config.port}${config.secure ? ' (TLS)' : ''}${config.user ? ` as ${config.user}` : ''}`,
		async send(mail) {
			const info = await transporter.sendMail({
				from: config.from,
				to: mail.to,
				subject: mail.subject,
				html: mail.html,
				text: mail.text,
				messageId: mail.messageId,
				headers: { 'Auto-Submitted': 'auto-generated', ...mail.headers }
			});
			return { messageId: info.messageId, response: info.response };
		},
		close() {
			transporter.close();
		}
	};
}

/** Outbox mode: the worker never calls `send`; it files messages as `outbox`. */
export function outboxTransport(from = DEFAULT_FROM): MailTransport {
	return {
		kind: 'outbox',
		from,
		description: 'outbox (no SMTP_HOST set: messages are stored, not sent)',
		send() {
			return Promise.reject(new Error('the outbox transport does not send'));
		},
		close() {}
	};
}

/** SMTP when SMTP_HOST is set, the outbox otherwise. Throws MailConfigError on invalid settings. */
export function transportFromEnv(
	env: Record<string, string | undefined> = process.env,
	options?: SmtpTransportOptions
): MailTransport {
	const config = smtpConfigFromEnv(env);
	if (!config) return outboxTransport(env.MAIL_FROM?.trim() || DEFAULT_FROM);
	return createSmtpTransport(config, options);
}

/** A send failure as stored in `lastError`, and whether retrying can help. */
export interface SendFailure {
	message: string;
	/** The server refused the recipient (5xx at RCPT TO): a bounce, not worth retrying. */
	permanent: boolean;
	/** No SMTP reply at all (connection refused, timeout, TLS) or 421: the server, not this message, is the problem. */
	unreachable: boolean;
}

export function describeSendError(e: unknown): SendFailure {
	if (!(e instanceof Error)) return { message: String(e), permanent: false, unreachable: false };
	const err = e as Error & { code?: string; responseCode?: number; response?: string; command?: string };
	const parts: string[] = [];
	if (err.response) parts.push(err.response.replace(/\s+/g, ' ').trim());
	else parts.push(err.message);
	if (err.command) parts.push(`(at ${err.command.split(' ')[0]})`);
	if (err.code && !err.response) parts.push(`[${err.code}]`);
	const code = err.responseCode ?? 0;
	const permanent = err.code === 'EENVELOPE' && code >= 500 && code < 600;
	return { message: parts.join(' ').slice(0, 500), permanent, unreachable: !code || code === 421 };
}
