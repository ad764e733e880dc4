/**
 * One quick connection attempt, so a wrong MONGODB_URI ends `npm start` within ~10 s with one line
 * naming the host (never the credentials) and the cause.
 */
import { MongoClient } from 'mongodb';

export function describeHosts(uri) {
	try {
		const afterScheme = uri.replace(/^mongodb(\+srv)?:\/\//, '');
		const hostPart = afterScheme.split('/')[0].split('?')[0];
		const hosts = hostPart.includes('@') ? hostPart.slice(hostPart.lastIndexOf('@') + 1) : hostPart;
		return hosts || 'an unknown host';
	} catch {
		return 'an unknown host';
	}
}

export async function checkMongoReachable(uri, timeoutMs = 8000) {
	const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
	try {
		await client.connect();
		await client.db('admin').command({ ping: 1 });
		return null;
	} catch (e) {
		const cause = e?.cause?.message ?? e?.message ?? String(e);
		const clean = cause.replaceAll(uri, '<uri>').split('\n')[0];
		return `cannot reach MongoDB at ${describeHosts(uri)} (${clean})`;
	} finally {
		await client.close().catch(() => {});
	}
}
