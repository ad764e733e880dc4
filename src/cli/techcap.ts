#!/usr/bin/env node
/**
 * `techcap`: the command-line entry point (`npm run -s techcap -- <subcommand> ...`).
 * Exit codes: 0 ok, 1 failure, 2 usage error.
 */
import { COMMANDS } from './registry';
import { UsageError, type CliIO } from './command';

const io: CliIO = {
	out: (line) => process.stdout.write(line + '\n'),
	err: (line) => process.stderr.write(line + '\n'),
	progress: (() => {
		let lastLine = 0;
		return (label: string, done: number, total: number | null) => {
			const tty = process.stderr.isTTY;
			const pct = total ? Math.floor((done / total) * 100) : null;
			const text = total
				? `${label} [${'#'.repeat(Math.floor((pct ?? 0) / 5)).padEnd(20, '.')}] ${pct}% (${done}/${total})`
				: `${label} ${done}`;
			if (tty) process.stderr.write('\r' + text + (total !== null && done >= total ? '\n' : ''));
			else if (Date.now() - lastLine > 1000 || (total !== null && done >= total)) {
				lastLine = Date.now();
				process.stderr.write(text + '\n');
			}
		};
	})()
};

async function usage(): Promise<string> {
	const lines = ['Usage: techcap <command> [options]', '', 'Commands:'];
	for (const name of Object.keys(COMMANDS).sort()) {
		const cmd = (await COMMANDS[name]()).default;
		lines.push(`  ${name.padEnd(14)} ${cmd.summary}`);
	}
	lines.push('', "Run `techcap <command> --help` for a command's options.");
	return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
	const [name, ...rest] = argv;
	if (!name || name === '--help' || name === '-h' || name === 'help') {
		io.out(await usage());
		return name ? 0 : 2;
	}
	const load = COMMANDS[name];
	if (!load) {
		io.err(`techcap: unknown command '${name}'`);
		io.err(await usage());
		return 2;
	}
	const cmd = (await load()).default;
	if (rest.includes('--help') || rest.includes('-h')) {
		io.out(`Usage: techcap ${cmd.usage}\n\n${cmd.summary}`);
		return 0;
	}
	try {
		return await cmd.run(rest, io);
	} catch (e) {
		if (e instanceof UsageError) {
			io.err(`techcap ${name}: ${e.message}`);
			io.err(`Usage: techcap ${cmd.usage}`);
			return 2;
		}
		io.err(`techcap ${name}: ${e instanceof Error ? e.message : String(e)}`);
		if (process.env.TECHCAP_DEBUG) console.error(e);
		return 1;
	}
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
		// Close any database the command opened so the process can exit promptly.
		import('../lib/server/db/index.js')
			.then((m) => (m as { closeDatabase?: () => Promise<void> }).closeDatabase?.())
			.catch(() => {});
	},
	(e) => {
		console.error(e);
		process.exitCode = 1;
	}
);
