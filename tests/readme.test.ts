/**
 * The README's quick start and the scripts it names must exist: a newcomer's first two commands
 * (and every `npm run <script>` the README mentions) have to work on a fresh clone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	scripts: Record<string, string>;
};

test('the quick start is exactly two commands, install-and-start and test', () => {
	const section = readme.slice(readme.indexOf('## Quick start'));
	const block = section.slice(
		section.indexOf('```sh') + 5,
		section.indexOf('```', section.indexOf('```sh') + 5)
	);
	const commands = block
		.split('\n')
		.map((l) => l.replace(/#.*/, '').trim())
		.filter(Boolean);
	expect(commands).toEqual(['npm run quickstart', 'npm test']);
});

test('every npm script the README names exists, and every script points at an existing file', () => {
	const named = [...readme.matchAll(/npm run (?:-s )?([a-z:-]+)/g)].map((m) => m[1]);
	for (const name of new Set(named)) expect(pkg.scripts, `npm run ${name}`).toHaveProperty(name);
	for (const [name, cmd] of Object.entries(pkg.scripts)) {
		for (const file of cmd.match(/\b(?:scripts|src|bench|tests)\/[\w./-]+\.(?:mjs|ts|js)\b/g) ?? [])
			expect(existsSync(join(root, file)), `${name}: ${file}`).toBe(true);
	}
});
