/**
 * import_rows: 100,000 generated response rows imported end to end (parse, map, validate, score,
 * stage, commit in one transaction) on the embedded engine in a temp folder, with the register
 * already holding the 100,000 enterprises. Reports rows/s and peak RSS, and `import_parse_ceiling`:
 * PapaParse's raw parse rate of the same file in the same run.
 * IMPORT_BENCH_ROWS overrides the row count (e.g. for a quick look).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Benchmark } from './harness';
import { openDatabase } from '../src/lib/server/db/index';
import { C, type EnterpriseDoc } from '../src/lib/server/db/schema';
import { newId } from '../src/lib/server/db/ids';
import { createCampaign } from '../src/lib/server/campaigns';
import { loadSurvey } from '../src/lib/server/surveys';
import { iterateResponses } from '../src/lib/domain/generator';
import { csvLines } from '../src/lib/domain/csv';
import { importResponses } from '../src/lib/server/imports/responses';
import { answersToRecord } from '../src/lib/server/imports/record';
import { templateFor } from '../src/lib/server/imports/responses';

const ROWS = Number(process.env.IMPORT_BENCH_ROWS ?? 100_000);
const SURVEY = 'mechanical/2025.1';

const bench: Benchmark = {
	names: ['import_rows', 'import_parse_ceiling'],
	async run(log) {
		const dir = await mkdtemp(join(tmpdir(), 'techcap-bench-import-'));
		try {
			const survey = loadSurvey(SURVEY);
			const template = templateFor(SURVEY);
			const file = join(dir, 'responses.csv');
			const db = await openDatabase({ dir: join(dir, 'db') });
			const campaign = await createCampaign(db, {
				sector: 'mechanical',
				year: 2025,
				surveyId: SURVEY,
				opensAt: new Date(Date.now() - 86400e3),
				closesAt: new Date(Date.now() + 86400e3),
				status: 'open',
				createdBy: null
			});
			// Generate the file and the register in one streamed pass (flat memory).
			const out = createWriteStream(file);
			const now = new Date();
			let batch: EnterpriseDoc[] = [];
			const responses = iterateResponses({
				questionnaire: survey.questionnaire,
				sector: 'mechanical',
				count: ROWS,
				seed: 'bench-import',
				referenceValues: survey.referenceValuesFor(2025),
				missingRate: 0
			});
			async function* records() {
				for (const r of responses) {
					batch.push({
						_id: newId(),
						taxCode: r.profile.taxCode,
						name: r.profile.name,
						vsic: r.profile.vsic,
						ward: r.profile.ward,
						ownership: r.profile.ownership,
						createdAt: now,
						updatedAt: now
					});
					if (batch.length === 5000) {
						await db.collection<EnterpriseDoc>(C.enterprises).insertMany(batch);
						batch = [];
					}
					yield answersToRecord(template, r.answers);
				}
			}
			for await (const line of csvLines(
				records(),
				template.columns.map((c) => c.name),
				{ escapeFormulas: false }
			))
				if (!out.write(line)) await new Promise((r) => out.once('drain', r));
			await new Promise<void>((r) => out.end(r));
			if (batch.length) await db.collection<EnterpriseDoc>(C.enterprises).insertMany(batch);
			const bytes = (await stat(file)).size;
			log(
				`generated ${ROWS} rows × ${template.columns.length} columns, ${(bytes / 1e6).toFixed(1)} MB; register seeded`
			);

			global.gc?.();
			const rssBefore = process.memoryUsage().rss;
			let peak = rssBefore;
			const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
			const phases: Record<string, number> = {};
			let phase = '';
			let phaseStart = performance.now();
			const t0 = performance.now();
			const result = await importResponses(db, campaign._id, {
				file,
				numberFormat: 'dot-decimal',
				onProgress: (p) => {
					peak = Math.max(peak, process.memoryUsage().rss);
					if (p.phase !== phase) {
						const t = performance.now();
						if (phase) phases[phase] = (phases[phase] ?? 0) + (t - phaseStart);
						phase = p.phase;
						phaseStart = t;
					}
				}
			});
			const ms = performance.now() - t0;
			phases[phase] = (phases[phase] ?? 0) + (performance.now() - phaseStart);
			clearInterval(sampler);
			const mem = process.memoryUsage();
			peak = Math.max(peak, mem.rss);
			if (result.status !== 'committed' || result.counts.imported !== ROWS)
				throw new Error(
					`import ${result.status}: ${JSON.stringify(result.counts)} ${result.problems[0]?.message.en ?? result.message?.en ?? ''}`
				);
			await db.close();

			const text = await readFile(file, 'utf8');
			const t1 = performance.now();
			let parsed = 0;
			Papa.parse<string[]>(text, {
				delimiter: ',',
				newline: '\r\n',
				chunkSize: 1 << 20,
				chunk: (r) => void (parsed += r.data.length)
			});
			const rawMs = performance.now() - t1;
			return [
				{
					name: 'import_rows',
					value: Math.round(ROWS / (ms / 1000)),
					unit: 'rows/s',
					target: { op: '>=', value: 5000 },
					details: {
						seconds: (ms / 1000).toFixed(2),
						peak_rss_mb: Math.round(peak / 1024 / 1024),
						rss_before_import_mb: Math.round(rssBefore / 1024 / 1024),
						// Where the memory is after the import (V8 heap vs Buffers such as the compact cache).
						heap_used_after_mb: Math.round(mem.heapUsed / 1024 / 1024),
						external_after_mb: Math.round(mem.external / 1024 / 1024),
						peak_rss_target_mb: 500,
						read_validate_score_stage_s: ((phases.validate ?? 0) / 1000).toFixed(2),
						store_commit_s: ((phases.store ?? 0) / 1000).toFixed(2),
						file_mb: (bytes / 1e6).toFixed(1)
					}
				},
				{
					name: 'import_parse_ceiling',
					value: Math.round((parsed - 1) / (rawMs / 1000)),
					unit: 'rows/s',
					details: { seconds: (rawMs / 1000).toFixed(2) }
				}
			];
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	}
};
export default bench;
