/**
 * Test support: a real SMTP server (the `smtp-server` package) on 127.0.0.1, a small MIME reader
 * for what it receives, and a test database. Only tests import this file (smtp-server is a dev
 * dependency).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { openEmbeddedDatabase } from '../db/embedded/index';
import { ensureIndexes } from '../db/index';
import type { Database } from '../db/types';

export interface ReceivedMail {
	envelopeFrom: string;
	envelopeTo: string[];
	headers: Record<string, string>;
	subject: string;
	messageId: string;
	text: string;
	html: string;
	raw: string;
}

export type SmtpStage = 'mail' | 'rcpt' | 'data';

export interface TestSmtpServer {
	readonly host: '127.0.0.1';
	readonly port: number;
	/** Messages accepted so far (after a 250 to DATA). */
	readonly received: ReceivedMail[];
	/** Environment that points transportFromEnv() at this server. */
	env(from?: string): Record<string, string>;
	/** The next `times` transactions are refused at `stage` with `code` (e.g. 451 or 554). */
	failNext(times: number, code: number, stage?: SmtpStage, message?: string): void;
	/** Recipients refused at RCPT TO with 550 (a bounce). */
	refuseRecipient(address: string): void;
	close(): Promise<void>;
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
	return Object.assign(new Error(message), { responseCode: code });
}

/** Starts an SMTP server on 127.0.0.1 (a free port, or `port` to come back on the same one). */
export async function startTestSmtpServer(options: { port?: number } = {}): Promise<TestSmtpServer> {
	const received: ReceivedMail[] = [];
	const failures: { stage: SmtpStage; code: number; message: string }[] = [];
	const refused = new Set<string>();
	let failThisTransaction: { stage: SmtpStage; code: number; message: string } | null = null;

	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onMailFrom(_address, _session, cb) {
			failThisTransaction = failures.shift() ?? null;
			if (failThisTransaction?.stage === 'mail')
				return cb(smtpError(failThisTransaction.code, failThisTransaction.message));
			cb();
		},
		onRcptTo(address, _session, cb) {
			if (refused.has(address.address.toLowerCase())) return cb(smtpError(550, '5.1.1 mailbox unavailable'));
			if (failThisTransaction?.stage === 'rcpt')
				return cb(smtpError(failThisTransaction.code, failThisTransaction.message));
			cb();
		},
		onData(stream, session, cb) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				if (failThisTransaction?.stage === 'data')
					return cb(smtpError(failThisTransaction.code, failThisTransaction.message));
				const raw = Buffer.concat(chunks).toString('latin1');
				const env = session.envelope;
				received.push({
					...parseMime(raw),
					envelopeFrom: env.mailFrom ? env.mailFrom.address : '',
					envelopeTo: env.rcptTo.map((r) => r.address),
					raw
				});
				cb(null, 'OK: queued');
			});
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const port = (server.server.address() as AddressInfo).port;

	return {
		host: '127.0.0.1',
		port,
		received,
		env: (from = 'Sở KH&CN <khaosat@dost.test>') => ({
			SMTP_HOST: '127.0.0.1',
			SMTP_PORT: String(port),
			SMTP_SECURE: 'false',
			MAIL_FROM: from
		}),
		failNext(times, code, stage = 'mail', message = code < 500 ? '4.3.0 try again later' : '5.7.1 rejected') {
			for (let i = 0; i < times; i++) failures.push({ stage, code, message });
		},
		refuseRecipient(address) {
			refused.add(address.toLowerCase());
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

// ---- a small MIME reader (enough for nodemailer's output: headers, multipart, QP, base64) ----

function splitHeaders(raw: string): { headers: Record<string, string>; body: string } {
	const end = raw.search(/\r?\n\r?\n/);
	const head = end < 0 ? raw : raw.slice(0, end);
	const body = end < 0 ? '' : raw.slice(end).replace(/^\r?\n\r?\n/, '');
	const headers: Record<string, string> = {};
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const i = line.indexOf(':');
		if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
	}
	return { headers, body };
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= / B), adjacent words joined before UTF-8 decoding. */
export function decodeHeader(value: string): string {
	const words = /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g;
	return value.replace(/\?=\s+=\?/g, '?==?').replace(/(?:=\?[^?]+\?[QqBb]\?[^?]*\?=)+/g, (run) => {
		const bytes: Buffer[] = [];
		for (const m of run.matchAll(words)) {
			bytes.push(m[2].toUpperCase() === 'B' ? Buffer.from(m[3], 'base64') : qpBytes(m[3].replace(/_/g, ' ')));
		}
		return Buffer.concat(bytes).toString('utf8');
	});
}

function qpBytes(s: string): Buffer {
	const out: number[] = [];
	for (let i = 0; i < s.length; i++) {
		if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
			out.push(parseInt(s.slice(i + 1, i + 3), 16));
			i += 2;
		} else out.push(s.charCodeAt(i) & 0xff);
	}
	return Buffer.from(out);
}

function decodeBody(body: string, encoding: string | undefined): string {
	const enc = (encoding ?? '7bit').toLowerCase();
	if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (enc === 'quoted-printable') return qpBytes(body.replace(/=\r?\n/g, '')).toString('utf8');
	return Buffer.from(body, 'latin1').toString('utf8');
}

function walk(raw: string, out: { text: string; html: string }): Record<string, string> {
	const { headers, body } = splitHeaders(raw);
	const type = headers['content-type'] ?? 'text/plain';
	const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
	if (/^multipart\//i.test(type) && boundary) {
		const parts = body.split(`--${boundary}`).slice(1);
		for (const part of parts) {
			if (part.startsWith('--')) break;
			walk(part.replace(/^\r?\n/, ''), out);
		}
	} else {
		const content = decodeBody(body.replace(/\r?\n$/, ''), headers['content-transfer-encoding']).replace(
			/\r\n/g,
			'\n'
		);
		if (/^text\/html/i.test(type)) out.html = content;
		else if (/^text\/plain/i.test(type)) out.text = content;
	}
	return headers;
}

export function parseMime(raw: string): Omit<ReceivedMail, 'envelopeFrom' | 'envelopeTo' | 'raw'> {
	const out = { text: '', html: '' };
	const headers = walk(raw, out);
	return {
		headers,
		subject: decodeHeader(headers['subject'] ?? ''),
		messageId: headers['message-id'] ?? '',
		...out
	};
}

export interface TestDb {
	db: Database;
	cleanup(): Promise<void>;
}

export async function openMailTestDb(): Promise<TestDb> {
	const dir = await mkdtemp(join(tmpdir(), 'techcap-mail-'));
	const db = await openEmbeddedDatabase(dir);
	await ensureIndexes(db);
	return {
		db,
		async cleanup() {
			await db.close();
			await rm(dir, { recursive: true, force: true });
		}
	};
}

/** Waits until `check` holds (for asynchronous SMTP delivery), or fails after `ms`. */
export async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out waiting for a condition');
		await new Promise((r) => setTimeout(r, 20));
	}
}
