#!/usr/bin/env node
/**
 * `npm start`: build if the build is missing or older than the sources, then serve with
 * adapter-node. On the embedded default (no MONGODB_URI) the first start seeds the demo dataset
 * and prints the URL and demo logins (see src/lib/server/startup.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkMongoReachable } from './mongo-check.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
process.env.BODY_SIZE_LIMIT ??= '12M';

// Fail fast and clearly when MongoDB is configured but unreachable, before any build work.
if (process.env.MONGODB_URI) {
	const problem = await checkMongoReachable(process.env.MONGODB_URI);
	if (problem) {
		console.error(`TechCap: ${problem}`);
		process.exit(1);
	}
}

function newestMtime(dir) {
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
	}
	return newest;
}

const buildEntry = join(root, 'build', 'index.js');
const sourcesChanged =
	!existsSync(buildEntry) ||
	Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs) >
		statSync(buildEntry).mtimeMs;
if (sourcesChanged && process.env.TECHCAP_SKIP_BUILD !== '1') {
	console.log('TechCap: building the app (first start or sources changed)...');
	const r = spawnSync(
		process.execPath,
		[join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
		{
			stdio: 'inherit'
		}
	);
	if (r.status !== 0) {
		console.error('TechCap: the build failed; see the messages above.');
		process.exit(1);
	}
}

await import(pathToFileURL(buildEntry).href);
