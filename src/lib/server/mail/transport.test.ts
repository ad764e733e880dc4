import { describe, expect, it } from 'vitest';
import { addressOf, describeSendError, messageIdFor, smtpConfigFromEnv, transportFromEnv } from './transport';
import { backoffMs } from './worker';

describe('SMTP settings from the environment', () => {
	it('means outbox mode when SMTP_HOST is unset', () => {
		expect(smtpConfigFromEnv({})).toBeNull();
		expect(smtpConfigFromEnv({ SMTP_HOST: '  ', MAIL_FROM: 'a@b.vn' })).toBeNull();
		const t = transportFromEnv({ MAIL_FROM: 'Sở KH&CN <a@dost.vn>' });
		expect(t.kind).toBe('outbox');
		expect(t.from).toBe('Sở KH&CN <a@dost.vn>');
	});

	it('reads host, port, TLS, login and sender with sensible defaults', () => {
		expect(smtpConfigFromEnv({ SMTP_HOST: 'smtp.x.vn', MAIL_FROM: 'a@x.vn' })).toEqual({
			host: 'smtp.x.vn',
			port: 587,
			secure: false,
			user: undefined,
			password: undefined,
			from: 'a@x.vn',
			requireTLS: false
		});
		expect(
			smtpConfigFromEnv({ SMTP_HOST: 'smtp.x.vn', SMTP_PORT: '465', MAIL_FROM: 'a@x.vn' })
		).toMatchObject({
			port: 465,
			secure: true
		});
		expect(
			smtpConfigFromEnv({ SMTP_HOST: 'smtp.x.vn', SMTP_SECURE: 'true', MAIL_FROM: 'a@x.vn' })
		).toMatchObject({
			port: 465,
			secure: true
		});
		// A login to a remote host without TLS from the start must upgrade with STARTTLS.
		expect(
			smtpConfigFromEnv({
				SMTP_HOST: 'smtp.x.vn',
				SMTP_USER: 'u',
				SMTP_PASSWORD: 'p',
				MAIL_FROM: 'T <a@x.vn>'
			})
		).toMatchObject({ user: 'u', password: 'p', requireTLS: true });
		expect(
			smtpConfigFromEnv({ SMTP_HOST: '127.0.0.1', SMTP_USER: 'u', SMTP_PASSWORD: 'p', MAIL_FROM: 'a@x.vn' })
		).toMatchObject({ requireTLS: false });
	});

	it('names the variable at fault', () => {
		const env = { SMTP_HOST: 'smtp.x.vn', MAIL_FROM: 'a@x.vn' };
		expect(() => smtpConfigFromEnv({ ...env, SMTP_PORT: 'abc' })).toThrow(
			"SMTP_PORT must be a port number from 1 to 65535 (got 'abc')"
		);
		expect(() => smtpConfigFromEnv({ ...env, SMTP_SECURE: 'maybe' })).toThrow(
			"SMTP_SECURE must be true or false (got 'maybe')"
		);
		expect(() => smtpConfigFromEnv({ ...env, SMTP_USER: 'u' })).toThrow(
			'SMTP_PASSWORD must be set when SMTP_USER is set'
		);
		expect(() => smtpConfigFromEnv({ SMTP_HOST: 'smtp.x.vn' })).toThrow(
			'MAIL_FROM must be set when SMTP_HOST is set'
		);
		expect(() => smtpConfigFromEnv({ ...env, MAIL_FROM: 'TechCap' })).toThrow(
			`MAIL_FROM must be an address or "Name <address>" (got 'TechCap')`
		);
	});
});

describe('helpers', () => {
	it('derives a stable Message-ID from the dedupe key and the sender domain', () => {
		const a = messageIdFor('invite:c1:e1', 'Sở <khaosat@dost.hanoi.gov.vn>');
		expect(a).toMatch(/^<[0-9a-f]{32}@dost\.hanoi\.gov\.vn>$/);
		expect(messageIdFor('invite:c1:e1', 'khaosat@dost.hanoi.gov.vn')).toBe(a);
		expect(messageIdFor('invite:c1:e2', 'khaosat@dost.hanoi.gov.vn')).not.toBe(a);
		expect(addressOf('"Sở KH&CN" <a@b.vn>')).toBe('a@b.vn');
	});

	it('backs off exponentially with a cap', () => {
		expect([1, 2, 3, 4, 5].map((n) => backoffMs(n) / 60_000)).toEqual([1, 2, 4, 8, 16]);
		expect(backoffMs(12)).toBe(3_600_000);
	});

	it('classifies send errors: refused recipient is permanent, no reply means unreachable', () => {
		const rcpt = Object.assign(new Error('all recipients were rejected'), {
			code: 'EENVELOPE',
			responseCode: 550,
			response: '550 5.1.1 mailbox unavailable',
			command: 'RCPT TO'
		});
		expect(describeSendError(rcpt)).toEqual({
			message: '550 5.1.1 mailbox unavailable (at RCPT)',
			permanent: true,
			unreachable: false
		});
		const busy = Object.assign(new Error('x'), {
			code: 'EENVELOPE',
			responseCode: 451,
			response: '451 busy',
			command: 'MAIL FROM'
		});
		expect(describeSendError(busy)).toMatchObject({ permanent: false, unreachable: false });
		const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
			code: 'ESOCKET',
			command: 'CONN'
		});
		expect(describeSendError(down)).toMatchObject({ permanent: false, unreachable: true });
	});
});
