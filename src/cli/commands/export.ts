/**
 * `techcap export aggregates --release <id> [--by size,ownership] --out <file>` (protected aggregates)
 * `techcap export microdata --release <id> --out <file>` (pseudonymised; recorded in the audit log)
 * `techcap export codebook --release <id> --out <file>`
 * `--dialect excel-vi|standard`: ';' and decimal comma for Vietnamese Excel, or ',' and point
 * (default: the --lang's for aggregates and the codebook, standard for microdata).
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs, requireFlag, UsageError, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import {
	aggregatesCsv,
	codebookCsv,
	CSV_DIALECTS,
	dialectFor,
	ExportError,
	exportMicrodata,
	type CsvDialect
} from '../../lib/server/exports';
import { ByParameterError, getRelease, parseBy, releaseBenchmarks } from '../../lib/server/releases';

const command: Command = {
	name: 'export',
	summary:
		'Export a release: aggregates (protected), microdata (pseudonymised, audited) or the codebook, as CSV',
	usage:
		'export aggregates|microdata|codebook --release <id> [--by size,ownership] [--lang vi|en] [--dialect excel-vi|standard] --out <file>',
	async run(argv, io) {
		const args = parseArgs(argv, { values: ['release', 'by', 'out', 'lang', 'dialect'] });
		const [kind, extra] = args.positionals;
		if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
		if (kind !== 'aggregates' && kind !== 'microdata' && kind !== 'codebook')
			throw new UsageError('first argument must be aggregates, microdata or codebook');
		const releaseId = requireFlag(args, 'release');
		const out = requireFlag(args, 'out');
		const lang = (args.flags.lang ?? 'vi') as string;
		if (lang !== 'vi' && lang !== 'en') throw new UsageError('--lang must be vi or en');
		const rawDialect = args.flags.dialect;
		if (rawDialect !== undefined && !(CSV_DIALECTS as readonly unknown[]).includes(rawDialect))
			throw new UsageError('--dialect must be excel-vi or standard');
		const dialect = rawDialect as CsvDialect | undefined;
		if (kind !== 'aggregates' && args.flags.by !== undefined)
			throw new UsageError('--by applies to aggregates only');
		const db = await getDatabase();
		if (kind === 'aggregates') {
			let dims;
			try {
				dims = parseBy(typeof args.flags.by === 'string' ? args.flags.by : '');
			} catch (e) {
				if (e instanceof ByParameterError) throw new UsageError(e.message);
				throw e;
			}
			// The CLI exports what is published: the public view, whoever runs it.
			const view = await releaseBenchmarks(db, releaseId, dims, { microdata: false });
			if (!view) {
				io.err(`release '${releaseId}' not found`);
				return 1;
			}
			writeFileSync(out, aggregatesCsv(view, lang, dialect ?? dialectFor(null, lang)));
			io.out(
				`${view.segments.length} segment rows written to ${out} (${view.segments.filter((s) => s.suppressed).length} suppressed, marked :c)`
			);
			return 0;
		}
		const release = await getRelease(db, releaseId);
		if (!release) {
			io.err(`release '${releaseId}' not found`);
			return 1;
		}
		if (kind === 'codebook') {
			writeFileSync(out, codebookCsv(release.surveyId, lang, dialect ?? dialectFor(null, lang)));
			io.out(`codebook of ${release.surveyId} written to ${out}`);
			return 0;
		}
		try {
			// Server operators act as administrators; the export is still audited (actor: cli).
			const lines = await exportMicrodata(
				db,
				releaseId,
				{ id: 'cli', email: `cli@${process.env.USER ?? 'local'}`, role: 'admin' },
				{ via: 'cli', dialect }
			);
			await pipeline(Readable.from(lines), createWriteStream(out));
		} catch (e) {
			if (e instanceof ExportError) {
				io.err(e.message);
				return 1;
			}
			throw e;
		}
		io.out(`${release.rows} pseudonymised rows written to ${out} (recorded in the audit log)`);
		return 0;
	}
};

export default command;
