#!/usr/bin/env node
/**
 * `npm run quickstart`: the README's first command. Installs dependencies when they are missing or
 * older than the lockfile, then starts TechCap on the embedded default with the demo dataset.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
	console.log('TechCap: installing dependencies (npm ci)...');
	const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}
const r = spawnSync(process.execPath, [join(root, 'scripts', 'start.mjs')], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
