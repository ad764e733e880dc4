/** The MongoDB adapter's start-up failure must be fast, one line, and free of credentials. */
import { describe, expect, it } from 'vitest';
import { openMongoDatabase, uriHosts } from './mongo';
import { DatabaseUnavailableError } from './types';

describe('openMongoDatabase when the server is unreachable', () => {
	it('rejects within ~10 s with one line naming the host, without the password', async () => {
		const started = Date.now();
		const err = await openMongoDatabase('mongodb://user:secret@127.0.0.1:1/x').catch((e: unknown) => e);
		const elapsed = Date.now() - started;
		expect(err).toBeInstanceOf(DatabaseUnavailableError);
		const message = (err as Error).message;
		expect(message).toBe('cannot reach MongoDB at 127.0.0.1:1 (connection refused)');
		expect(message).not.toContain('secret');
		expect(message).not.toContain('\n');
		expect(elapsed).toBeLessThan(10_500);
	}, 20_000);

	it('reports a malformed connection string without echoing it', async () => {
		const err = await openMongoDatabase('mongodb://user:hunter22@/nohost').catch((e: unknown) => e);
		expect(err).toBeInstanceOf(DatabaseUnavailableError);
		expect((err as Error).message).toMatch(/^invalid MongoDB connection string/);
		expect((err as Error).message).not.toContain('hunter22');
	});

	it('extracts the host list from connection strings', () => {
		expect(uriHosts('mongodb://u:p@a.example:27017,b.example:27018/db?replicaSet=rs0')).toBe(
			'a.example:27017,b.example:27018'
		);
		expect(uriHosts('mongodb+srv://cluster0.example.net/techcap')).toBe('cluster0.example.net');
		expect(uriHosts('mongodb://localhost')).toBe('localhost');
	});
});
