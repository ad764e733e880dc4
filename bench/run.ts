/** `npm run bench [-- --only <name>]`: runs the benchmarks in bench/*.bench.ts. */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { formatResult, meets, type Benchmark } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const onlyIdx = argv.indexOf('--only');
const only = onlyIdx >= 0 ? argv[onlyIdx + 1] : undefined;
if (onlyIdx >= 0 && !only) {
	console.error('usage: npm run bench [-- --only <name>]');
	process.exit(2);
}

const files = readdirSync(here)
	.filter((f) => f.endsWith('.bench.ts'))
	.sort();
let ran = 0;
let missed = 0;
for (const f of files) {
	const bench = (await import(pathToFileURL(join(here, f)).href)).default as Benchmark;
	if (only && !bench.names.includes(only)) continue;
	ran++;
	const results = await bench.run((line) => console.log(`  ${line}`));
	for (const r of results) {
		if (only && bench.names.length > 1 && r.name !== only && !r.name.startsWith(only)) {
			// A file reporting several related names prints them all: they are measured in one run.
		}
		console.log(formatResult(r));
		for (const [k, v] of Object.entries(r.details ?? {})) console.log(`  ${r.name}.${k} = ${v}`);
		if (meets(r) === false) missed++;
	}
}
if (ran === 0) {
	console.error(only ? `no benchmark named '${only}'` : 'no benchmarks found');
	process.exit(2);
}
if (missed) console.log(`${missed} result(s) missed their target`);
