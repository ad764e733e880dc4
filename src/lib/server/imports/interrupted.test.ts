/** Issue 20: an import whose process died is shown as failed at once, with honest counts. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostname } from 'node:os';
import { C, type ImportDoc, type JobDoc } from '../db/schema';
import { importStatus, jobInterrupted, STALE_JOB_MS } from './status';
import { currentOwner } from './owner';
import { importFixture, type ImportFixture } from './testing';

let fx: ImportFixture;
beforeEach(async () => {
	fx = await importFixture();
});
afterEach(async () => fx.cleanup());

async function running(
	id: string,
	owner: unknown,
	heartbeatAt = new Date(),
	phase: JobDoc['phase'] = 'store'
) {
	const now = new Date();
	await fx.db.collection<ImportDoc>(C.imports).insertOne({
		_id: id,
		kind: 'responses',
		campaignId: fx.campaign._id,
		fileName: 'big.csv',
		fileBytes: 1000,
		status: 'running',
		counts: { imported: 0, updated: 0, unchanged: 0, rejected: 0 },
		warnings: [],
		problems: [],
		problemCount: 0,
		message: null,
		createdAt: now,
		updatedAt: now
	} as unknown as ImportDoc);
	await fx.db.collection<JobDoc & { owner: unknown }>(C.jobs).insertOne({
		_id: id,
		kind: 'import',
		owner,
		status: 'running',
		phase,
		bytes: 1000,
		total: 1000,
		rows: 100000,
		counts: { imported: 0, updated: 100000, unchanged: 0, rejected: 3 },
		errors: 3,
		heartbeatAt,
		createdAt: now,
		updatedAt: now
	});
}

describe('interrupted imports', () => {
	it('a job of a dead process on this host is failed at once; counts say nothing was stored', async () => {
		// A pid that cannot be alive (beyond the kernel's pid_max).
		await running('dead-pid', { host: hostname(), pid: 2 ** 30, life: 'old' });
		const v = await importStatus(fx.db, 'dead-pid');
		expect(v?.status).toBe('failed');
		expect(v?.counts).toEqual({ imported: 0, updated: 0, unchanged: 0, rejected: 3 });
		expect(v?.message?.en).toMatch(/interrupted/);
		const imp = await fx.db.collection<ImportDoc>(C.imports).findOne({ _id: 'dead-pid' });
		expect(imp?.status).toBe('failed');
	});

	it('the same pid in another life of the server (restarted container) is dead too', async () => {
		await running('reused-pid', { ...currentOwner(), life: 'previous-life' });
		expect((await importStatus(fx.db, 'reused-pid'))?.status).toBe('failed');
	});

	it('a job of this very process stays running; silence beyond a minute outside the commit fails it', async () => {
		await running('mine', currentOwner(), new Date(), 'validate');
		expect((await importStatus(fx.db, 'mine'))?.status).toBe('running');
		const job = (await fx.db.collection<JobDoc>(C.jobs).findOne({ _id: 'mine' }))!;
		const other = { ...job, owner: { host: 'another-host', pid: 1, life: 'x' } };
		expect(jobInterrupted(other, new Date(Date.now() + STALE_JOB_MS + 1000))).toBe(true);
		expect(jobInterrupted({ ...other, phase: 'store' }, new Date(Date.now() + STALE_JOB_MS + 1000))).toBe(
			false
		);
	});
});
