/**
 * The life of one import: its record in `C.imports`, its progress in `C.jobs` (so any app instance
 * can report it), the problem log and the final status. Both
 * import kinds drive one of these.
 */
import { basename } from 'node:path';
import type { CsvWarning, NumberFormat } from '$lib/domain/csv';
import type { Database, TxSession } from '../db/types';
import { C, type ImportDoc, type ImportKind, type JobDoc } from '../db/schema';
import { newId } from '../db/ids';
import { fileInfo } from './source';
import { currentOwner, type JobOwner } from './owner';
import {
	EMPTY_COUNTS,
	type ImportProgress,
	type ImportResult,
	type ImportRunOptions,
	type RowProblem
} from './types';
import type { ImportCounts } from '../db/schema';

/** Problems kept in the database per import; the CLI's --report streams every one. */
export const PROBLEM_CAP = 5000;
/** Progress is written to the database at most this often. */
const PROGRESS_EVERY_MS = 400;

export class ImportRun {
	readonly counts: ImportCounts = { ...EMPTY_COUNTS };
	readonly problems: RowProblem[] = [];
	readonly warnings: CsvWarning[] = [];
	problemCount = 0;
	numberFormat: NumberFormat | null = null;
	private lastRejectedRow: number | null = null;
	private progressState: ImportProgress;
	private lastWrite = 0;

	private constructor(
		readonly db: Database,
		readonly id: string,
		readonly options: ImportRunOptions,
		readonly totalBytes: number
	) {
		this.progressState = {
			phase: 'parse',
			bytes: 0,
			total: totalBytes,
			rows: 0,
			counts: this.counts,
			errors: 0
		};
	}

	/** Records the import (or takes over an analysed one) and its job. */
	static async start(
		db: Database,
		kind: ImportKind,
		campaignId: string | null,
		options: ImportRunOptions
	): Promise<ImportRun> {
		const info = await fileInfo(options.file);
		const id = options.importId ?? newId();
		const now = new Date();
		const imports = db.collection<ImportDoc>(C.imports);
		const fields = {
			kind,
			campaignId,
			fileName: options.fileName ?? basename(options.file),
			fileBytes: info.bytes,
			fileSha256: info.sha256,
			mode: options.mode ?? 'all-or-nothing',
			numberFormat: options.numberFormat && options.numberFormat !== 'auto' ? options.numberFormat : null,
			status: 'running' as const,
			counts: { ...EMPTY_COUNTS },
			problems: [],
			problemCount: 0,
			message: null,
			updatedAt: now,
			finishedAt: null
		};
		if (options.importId) {
			// Only an analysed import can be started, and only once (a double click starts one job).
			const claimed = await imports.findOneAndUpdate(
				{ _id: id, status: options.claimed ? 'running' : 'analysed' },
				{ $set: fields },
				{ returnDocument: 'after' }
			);
			if (!claimed) throw new Error(`import ${id} is not waiting for confirmation`);
		} else {
			await imports.insertOne({
				_id: id,
				...fields,
				tempPath: null,
				invite: false,
				warnings: [],
				createdBy: options.actor?.id ?? null,
				createdAt: now
			});
		}
		await db.collection<JobDoc & { owner: JobOwner }>(C.jobs).insertOne({
			_id: id,
			kind: 'import',
			owner: currentOwner(),
			status: 'running',
			phase: 'parse',
			bytes: 0,
			total: info.bytes,
			rows: 0,
			counts: { ...EMPTY_COUNTS },
			errors: 0,
			heartbeatAt: now,
			createdAt: now,
			updatedAt: now
		});
		return new ImportRun(db, id, options, info.bytes);
	}

	/** A problem; `reject` (default) marks its row rejected (counted once per row). */
	problem(p: RowProblem, reject = true): void {
		this.problemCount++;
		if (this.problems.length < PROBLEM_CAP) this.problems.push(p);
		this.options.onProblem?.(p);
		if (reject && p.row !== null && p.row !== this.lastRejectedRow) {
			this.lastRejectedRow = p.row;
			this.counts.rejected++;
		}
	}

	/** Updates progress; written to the job at most every PROGRESS_EVERY_MS (never inside the commit). */
	async progress(p: Partial<ImportProgress>, force = false): Promise<void> {
		Object.assign(this.progressState, p, { counts: this.counts, errors: this.problemCount });
		await this.options.onProgress?.({ ...this.progressState, counts: { ...this.counts } });
		const now = Date.now();
		if (this.progressState.phase === 'store' || (!force && now - this.lastWrite < PROGRESS_EVERY_MS)) return;
		this.lastWrite = now;
		const s = this.progressState;
		await this.db.collection<JobDoc>(C.jobs).updateOne(
			{ _id: this.id },
			{
				$set: {
					phase: s.phase,
					bytes: s.bytes,
					rows: s.rows,
					counts: { ...this.counts },
					errors: this.problemCount,
					heartbeatAt: new Date(now),
					updatedAt: new Date(now)
				}
			}
		);
	}

	get phase(): ImportProgress['phase'] {
		return this.progressState.phase;
	}

	/**
	 * Final state of the import and its job. With a session it is written inside the commit, so
	 * "committed" and the data appear together or not at all.
	 */
	async finish(
		status: ImportResult['status'],
		message: ImportResult['message'],
		session?: TxSession
	): Promise<ImportResult> {
		const now = new Date();
		const opts = session ? { session } : {};
		await this.db.collection<ImportDoc>(C.imports).updateOne(
			{ _id: this.id },
			{
				$set: {
					status,
					counts: { ...this.counts },
					problems: this.problems.map(({ row, column, value, message }) => ({ row, column, value, message })),
					problemCount: this.problemCount,
					warnings: this.warnings,
					numberFormat: this.numberFormat,
					message,
					updatedAt: now,
					finishedAt: now
				}
			},
			opts
		);
		await this.db.collection<JobDoc>(C.jobs).updateOne(
			{ _id: this.id },
			{
				$set: {
					status,
					phase: 'done',
					bytes: this.totalBytes,
					rows: this.progressState.rows,
					counts: { ...this.counts },
					errors: this.problemCount,
					heartbeatAt: now,
					updatedAt: now
				}
			},
			opts
		);
		return this.result(status, message);
	}

	result(status: ImportResult['status'], message: ImportResult['message']): ImportResult {
		return {
			importId: this.id,
			status,
			counts: { ...this.counts },
			problemCount: this.problemCount,
			problems: this.problems,
			warnings: this.warnings,
			numberFormat: this.numberFormat,
			message
		};
	}
}

/** Stable JSON (sorted keys) for "is this the same answer set" comparisons. */
export function canonicalJson(v: unknown): string {
	return JSON.stringify(v, (_k, x: unknown) =>
		x && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Date)
			? Object.fromEntries(
					Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
				)
			: x
	);
}
