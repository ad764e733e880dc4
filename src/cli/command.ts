/**
 * The shape of a `techcap` subcommand. Each lives in `src/cli/commands/<name>.ts`, is registered in
 * `src/cli/registry.ts`, and stays thin: parse arguments, call the same library functions the
 * routes use, print.
 */
export interface CliIO {
	out(line: string): void;
	err(line: string): void;
	/** Progress on stderr (a bar on a TTY, periodic lines otherwise). */
	progress(label: string, done: number, total: number | null): void;
}

export interface Command {
	name: string;
	summary: string;
	usage: string;
	/** Exit codes: 0 ok, 1 failure, 2 usage error (throw UsageError for 2). */
	run(argv: string[], io: CliIO): Promise<number>;
}

export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

export interface ParsedArgs {
	flags: Record<string, string | true>;
	positionals: string[];
}

/**
 * Parses `--name value`, `--name=value` and bare `--flag` (when `booleans` lists it).
 * Unknown flags are a usage error so typos never silently change behaviour.
 */
export function parseArgs(argv: string[], spec: { values?: string[]; booleans?: string[] }): ParsedArgs {
	const values = new Set(spec.values ?? []);
	const booleans = new Set(spec.booleans ?? []);
	const flags: Record<string, string | true> = {};
	const positionals: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--') {
			positionals.push(...argv.slice(i + 1));
			break;
		}
		if (a.startsWith('--')) {
			const eq = a.indexOf('=');
			const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
			if (booleans.has(name)) {
				if (eq >= 0) throw new UsageError(`--${name} takes no value`);
				flags[name] = true;
			} else if (values.has(name)) {
				const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
				if (v === undefined || (eq < 0 && v.startsWith('--')))
					throw new UsageError(`--${name} needs a value`);
				flags[name] = v;
			} else {
				throw new UsageError(`unknown option --${name}`);
			}
		} else {
			positionals.push(a);
		}
	}
	return { flags, positionals };
}

export function requireFlag(args: ParsedArgs, name: string): string {
	const v = args.flags[name];
	if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
	return v;
}
