/**
 * `techcap import enterprises <file> [--invite] [--campaign <id>]` and
 * `techcap import responses --campaign <id> <file> [--mode ...] [--number-format ...] [--report <out.csv>]`.
 * Ends with `imported N, updated M, rejected R`; exit 0 when committed, 1 when rejected or failed.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, requireFlag, UsageError, type CliIO, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import { importEnterprises, importResponses, ImportRefused, summaryLine } from '../../lib/server/imports';
import type { ImportProgress, ImportResult, RowProblem } from '../../lib/server/imports';
import { REPORT_COLUMNS, escapeFormula } from '../../lib/domain/csv';

const MODES = ['all-or-nothing', 'valid-rows-only'] as const;
const FORMATS = ['dot-decimal', 'comma-decimal'] as const;

function progressReporter(io: CliIO) {
	return (p: ImportProgress) => {
		if (p.phase === 'store') io.progress('storing', p.stored ?? 0, p.toStore ?? null);
		else if (p.phase === 'validate') io.progress('reading + validating (bytes)', p.bytes, p.total || null);
	};
}

/** Every problem written to the report file as it is found (not only the first ones kept in the database). */
function reportWriter(path: string | undefined) {
	if (!path) return { onProblem: undefined, close: async () => {} };
	const out = createWriteStream(resolve(path));
	const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
	out.write(
		'\uFEFF' + REPORT_COLUMNS.map((c) => (typeof c === 'string' ? c : (c.header ?? c.key))).join(',') + '\r\n'
	);
	return {
		onProblem: (p: RowProblem) => {
			const value = escapeFormula(p.value.length > 200 ? `${p.value.slice(0, 200)}…` : p.value);
			const fields = [
				p.row === null ? '' : String(p.row),
				escapeFormula(p.column ?? ''),
				value,
				escapeFormula(p.message.vi),
				escapeFormula(p.message.en)
			];
			out.write(fields.map(cell).join(',') + '\r\n');
		},
		close: () => new Promise<void>((r) => out.end(r))
	};
}

function finish(io: CliIO, r: ImportResult): number {
	for (const w of r.warnings) io.err(`warning: ${w.message.en}`);
	const shown = r.problems.slice(0, 20);
	for (const p of shown) io.err(`row ${p.row ?? '-'}${p.column ? `, ${p.column}` : ''}: ${p.message.en}`);
	if (r.problemCount > shown.length)
		io.err(`… ${r.problemCount - shown.length} more problem(s) (see --report)`);
	if (r.message) io.err(r.message.en);
	io.out(`status ${r.status} (import ${r.importId}); unchanged ${r.counts.unchanged}`);
	io.out(summaryLine(r.counts));
	return r.status === 'committed' ? 0 : 1;
}

const command: Command = {
	name: 'import',
	summary:
		"Import the enterprise register or a campaign's responses from CSV (validated, idempotent, atomic)",
	usage:
		'import enterprises <file> [--invite] [--campaign <id>] [--mode all-or-nothing|valid-rows-only] [--report <out.csv>]\n' +
		'       import responses --campaign <id> <file> [--equipment <file>] [--mode all-or-nothing|valid-rows-only] [--number-format dot-decimal|comma-decimal] [--report <out.csv>]',
	async run(argv, io) {
		const [what, ...rest] = argv;
		if (what !== 'enterprises' && what !== 'responses')
			throw new UsageError("expected 'enterprises' or 'responses'");
		const args = parseArgs(rest, {
			values: ['campaign', 'mode', 'number-format', 'report', 'equipment'],
			booleans: ['invite']
		});
		if (args.positionals.length !== 1) throw new UsageError('expected exactly one <file>');
		const file = resolve(args.positionals[0]);
		if (!existsSync(file)) {
			io.err(`no such file: ${file}`);
			return 1;
		}
		const mode = (args.flags.mode ?? 'all-or-nothing') as string;
		if (!(MODES as readonly string[]).includes(mode))
			throw new UsageError(`--mode must be ${MODES.join(' or ')}`);
		const nf = args.flags['number-format'];
		if (nf !== undefined && !(FORMATS as readonly string[]).includes(String(nf)))
			throw new UsageError(`--number-format must be ${FORMATS.join(' or ')}`);
		const report = reportWriter(typeof args.flags.report === 'string' ? args.flags.report : undefined);
		const common = {
			file,
			mode: mode as (typeof MODES)[number],
			numberFormat: (nf as (typeof FORMATS)[number] | undefined) ?? ('auto' as const),
			actor: null,
			onProgress: progressReporter(io),
			onProblem: report.onProblem
		};
		const db = await getDatabase();
		try {
			if (what === 'responses') {
				if (args.flags.invite) throw new UsageError('--invite is for `import enterprises`');
				let equipmentFile: string | undefined;
				if (typeof args.flags.equipment === 'string') {
					equipmentFile = resolve(args.flags.equipment);
					if (!existsSync(equipmentFile)) {
						await report.close();
						io.err(`no such file: ${equipmentFile}`);
						return 1;
					}
				}
				const r = await importResponses(db, requireFlag(args, 'campaign'), { ...common, equipmentFile });
				await report.close();
				return finish(io, r);
			}
			const campaign = typeof args.flags.campaign === 'string' ? args.flags.campaign : null;
			if (args.flags.equipment !== undefined) throw new UsageError('--equipment is for `import responses`');
			const r = await importEnterprises(db, {
				...common,
				campaignId: campaign,
				invite: args.flags.invite === true
			});
			await report.close();
			if (r.participantsAdded) io.out(`added ${r.participantsAdded} enterprise(s) to campaign ${campaign}`);
			if (r.invited)
				io.out(
					`invitations: ${r.invited.queued} e-mail(s) queued, ${r.invited.already} already invited, ${r.invited.noEmail} without an e-mail address, ${r.invited.errors} failed`
				);
			// Personal links (enterprises without an account), for when e-mail does not reach them.
			for (const inv of r.invitations)
				if (inv.link) io.out(`invitation ${inv.taxCode} ${inv.email} ${inv.link}`);
			return finish(io, r);
		} catch (e) {
			await report.close();
			if (e instanceof ImportRefused) {
				io.err(e.messages.en);
				io.out(summaryLine({ imported: 0, updated: 0, unchanged: 0, rejected: 0 }));
				return 1;
			}
			throw e;
		}
	}
};

export default command;
