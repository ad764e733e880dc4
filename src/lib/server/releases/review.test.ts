/**
 * Releasing in two hands: analysts build a draft (invisible to readers), inspect it and submit it; a
 * publisher (administrator, or analyst with the publish right, not the one who submitted) publishes
 * it or returns it with a reason. Every step is audited and every refusal is proven: roles, states,
 * other ids, and nothing half-done left behind.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../db';
import {
	C,
	type AuditDoc,
	type CampaignDoc,
	type EnterpriseDoc,
	type ResponseDoc,
	type ScoreDoc
} from '../db/schema';
import { LifecycleError, reopenCampaign } from '../campaign-lifecycle';
import { getRelease, listReleases, releaseBenchmarks } from './read';
import {
	buildDraftRelease,
	canPublishReleases,
	discardDraftRelease,
	listPendingReleases,
	publishSubmittedRelease,
	releaseForReview,
	returnSubmittedRelease,
	submitDraftRelease,
	type ReleaseActor
} from './review';
import { mechanicalCampaign, submission } from './testing';
import type { ReleaseDoc } from './types';

const NOW = new Date('2025-07-10T03:00:00Z');
const analyst: ReleaseActor = { id: 'an-1', email: 'an@x.vn', role: 'analyst' };
const colleague: ReleaseActor = { id: 'an-2', email: 'an2@x.vn', role: 'analyst', publisher: true };
const selfPublisher: ReleaseActor = { id: 'an-3', email: 'an3@x.vn', role: 'analyst', publisher: true };
const admin: ReleaseActor = { id: 'ad-1', email: 'ad@x.vn', role: 'admin' };
const policymaker: ReleaseActor = { id: 'pm-1', email: 'pm@x.vn', role: 'policymaker', publisher: true };
const enterpriseUser: ReleaseActor = { id: 'en-1', email: 'en@x.vn', role: 'enterprise', publisher: true };

let dir: string;
let db: Database;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'techcap-review-'));
	db = await openDatabase({ dir });
});
afterAll(async () => {
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

async function campaign(id: string, patch: Partial<CampaignDoc> = {}, submissions = 12): Promise<void> {
	await db.collection<CampaignDoc>(C.campaigns).insertOne({ ...mechanicalCampaign(id, NOW), ...patch });
	if (!submissions) return;
	const enterprises: EnterpriseDoc[] = [];
	const responses: ResponseDoc[] = [];
	const scores: ScoreDoc[] = [];
	for (let i = 0; i < submissions; i++) {
		const eid = `${id}-e${i}`;
		enterprises.push({
			_id: eid,
			taxCode: `${id}-${i}`,
			name: `Công ty ${i}`,
			vsic: '2511',
			ward: i % 2 ? 'hoan-kiem' : 'cua-nam',
			ownership: 'private',
			employees: i < 2 ? 500 : 50,
			revenueBn: i < 2 ? 100 : 20,
			capitalBn: i < 2 ? 500 : 10,
			createdAt: NOW,
			updatedAt: NOW
		});
		const s = submission({
			campaignId: id,
			enterpriseId: eid,
			i,
			total: 10 + i,
			K: 0.5,
			level: 'trung-binh',
			ladderINT: 2,
			now: NOW
		});
		responses.push(s.response);
		scores.push(s.score);
	}
	await db.collection<EnterpriseDoc>(C.enterprises).insertMany(enterprises);
	await db.collection<ResponseDoc>(C.responses).insertMany(responses);
	await db.collection<ScoreDoc>(C.scores).insertMany(scores);
}

async function refused(p: Promise<unknown>, code: LifecycleError['code']): Promise<LifecycleError> {
	const e = await p.then(
		() => null,
		(x: unknown) => x
	);
	expect(e).toBeInstanceOf(LifecycleError);
	expect((e as LifecycleError).code).toBe(code);
	expect((e as LifecycleError).text.vi).toBeTruthy();
	expect((e as LifecycleError).text.en).toBeTruthy();
	return e as LifecycleError;
}

const audits = (action: string, target: string) => db.collection<AuditDoc>(C.audit).find({ action, target });
const releaseDoc = (id: string) => db.collection<ReleaseDoc>(C.releases).findOne({ _id: id });
const campaignStatus = async (id: string) =>
	(await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: id }))?.status;

describe('who may publish', () => {
	test('administrators, and analysts given the publish right; nobody else', () => {
		expect(canPublishReleases(admin)).toBe(true);
		expect(canPublishReleases(colleague)).toBe(true);
		expect(canPublishReleases(analyst)).toBe(false);
		expect(canPublishReleases(policymaker)).toBe(false);
		expect(canPublishReleases(enterpriseUser)).toBe(false);
		expect(canPublishReleases(null)).toBe(false);
	});
});

describe('draft → submitted → published', () => {
	test('the whole path, each step audited, the draft invisible to readers until published', async () => {
		// Ran past its closing date without anyone closing it: closed first, and audited.
		await campaign('rv-1', { status: 'open', closesAt: new Date('2025-07-01T00:00:00Z') });
		const draft = await buildDraftRelease(db, analyst, 'rv-1', { now: NOW });
		expect(draft.status).toBe('draft');
		expect(draft.version).toBe(1);
		expect(draft.review?.built.by?.id).toBe(analyst.id);
		expect(await campaignStatus('rv-1')).toBe('closed');
		expect(await audits('campaign.close', 'campaigns/rv-1')).toHaveLength(1);
		expect(await audits('release.draft', `releases/${draft._id}`)).toHaveLength(1);
		expect(await audits('release.publish', `releases/${draft._id}`)).toHaveLength(0);

		// Readers (dashboards, API, exports) see nothing of a draft.
		expect(await getRelease(db, draft._id)).toBeNull();
		expect((await listReleases(db)).map((r) => r.id)).not.toContain(draft._id);
		expect(await releaseBenchmarks(db, draft._id, ['size'], { microdata: true })).toBeNull();

		// Reviewers see the protected tables and the disclosure report.
		const view = await releaseForReview(db, analyst, draft._id);
		expect(view.status).toBe('draft');
		expect(view.release.rows).toBe(12);
		const size = view.tables.find((t) => t.dim === 'size')!;
		// The total first, then the size classes in size order.
		expect(size.segments.map((s) => s.segment.size ?? 'total')).toEqual(['total', 'small', 'large']);
		expect(size.segments[0].n).toBe(12);
		const large = size.segments.find((s) => s.segment.size === 'large')!;
		// Two large enterprises (< k = 5): withheld in the public view the page shows.
		expect(large.n).toBeNull();
		expect(large.flag).toBe(':c');
		const sizeLine = view.disclosure.find((d) => d.by === 'size' && d.table === 'size')!;
		expect(sizeLine.published + sizeLine.primary + sizeLine.secondary).toBe(sizeLine.cells);
		expect(sizeLine.reasons.threshold).toBeGreaterThanOrEqual(1);
		const totals = view.disclosure.reduce(
			(a, d) => ({ primary: a.primary + d.primary, secondary: a.secondary + d.secondary }),
			{ primary: 0, secondary: 0 }
		);
		expect(totals.primary).toBeGreaterThan(0);
		expect(totals.primary + totals.secondary).toBeGreaterThanOrEqual(draft.suppression.primary);

		expect((await listPendingReleases(db)).map((p) => [p.id, p.status])).toEqual([[draft._id, 'draft']]);
		// Publishing needs a submission first, and the right to publish.
		await refused(publishSubmittedRelease(db, admin, draft._id, { now: NOW }), 'state');

		const sent = await submitDraftRelease(db, analyst, draft._id, { now: NOW });
		expect(sent.status).toBe('submitted');
		expect(sent.review?.submitted?.by?.email).toBe(analyst.email);
		expect(await audits('release.submit', `releases/${draft._id}`)).toHaveLength(1);
		await refused(submitDraftRelease(db, analyst, draft._id), 'state');
		expect(await getRelease(db, draft._id)).toBeNull();

		const later = new Date(+NOW + 3_600_000);
		const published = await publishSubmittedRelease(db, admin, draft._id, { now: later });
		expect(published.status).toBe('ready');
		expect(published.publishedBy?.id).toBe(admin.id);
		expect(+published.publishedAt).toBe(+later);
		expect(await campaignStatus('rv-1')).toBe('published');
		expect((await getRelease(db, draft._id))?.version).toBe(1);
		const [entry] = await audits('release.publish', `releases/${draft._id}`);
		expect(entry.actorId).toBe(admin.id);
		expect(await listPendingReleases(db)).toEqual([]);
		// Published is final: no second publish, return or discard.
		await refused(publishSubmittedRelease(db, admin, draft._id), 'state');
		await refused(returnSubmittedRelease(db, admin, draft._id, 'Sai số liệu'), 'state');
		await refused(discardDraftRelease(db, analyst, draft._id), 'state');
		expect((await releaseDoc(draft._id))?.status).toBe('ready');
	});

	test('returned with a reason, resubmitted, published by a colleague with the publish right', async () => {
		await campaign('rv-2');
		const draft = await buildDraftRelease(db, selfPublisher, 'rv-2', { now: NOW });
		await submitDraftRelease(db, selfPublisher, draft._id);
		// A publisher may not approve their own submission; an analyst without the right may not either.
		const own = await refused(publishSubmittedRelease(db, selfPublisher, draft._id), 'forbidden');
		expect(own.text.en).toMatch(/someone else/);
		await refused(publishSubmittedRelease(db, analyst, draft._id), 'forbidden');
		await refused(returnSubmittedRelease(db, analyst, draft._id, 'Không đồng ý'), 'forbidden');

		for (const reason of ['', '  ', 'ab', 'x'.repeat(501), 42, null])
			await refused(returnSubmittedRelease(db, admin, draft._id, reason), 'invalid');
		const back = await returnSubmittedRelease(db, admin, draft._id, '  Thiếu phường Láng  ');
		expect(back.status).toBe('draft');
		expect(back.review?.returned?.reason).toBe('Thiếu phường Láng');
		expect(back.review?.returned?.by?.id).toBe(admin.id);
		const [entry] = await audits('release.return', `releases/${draft._id}`);
		expect(entry.after).toMatchObject({ status: 'draft', reason: 'Thiếu phường Láng' });

		await submitDraftRelease(db, selfPublisher, draft._id);
		const done = await publishSubmittedRelease(db, colleague, draft._id);
		expect(done.status).toBe('ready');
		expect(done.publishedBy?.id).toBe(colleague.id);
	});

	test('a new version of a published campaign goes through the same review', async () => {
		const v2 = await buildDraftRelease(db, analyst, 'rv-1', { now: NOW });
		expect(v2.version).toBe(2);
		expect(await campaignStatus('rv-1')).toBe('published');
		const v1 = (await listReleases(db)).find((r) => r.campaignId === 'rv-1');
		expect(v1?.version).toBe(1);
		// One pending draft per campaign.
		const again = await refused(buildDraftRelease(db, analyst, 'rv-1', { now: NOW }), 'conflict');
		expect(again.text.vi).toContain('phiên bản 2');
		await discardDraftRelease(db, analyst, v2._id);
		expect(await releaseDoc(v2._id)).toBeNull();
		expect(await db.collection(C.releaseRows).countDocuments({ releaseId: v2._id })).toBe(0);
		expect(await db.collection(C.benchmarks).countDocuments({ releaseId: v2._id })).toBe(0);
		expect(await audits('release.discard', `releases/${v2._id}`)).toHaveLength(1);
		// The number is free again.
		expect((await buildDraftRelease(db, analyst, 'rv-1', { now: NOW })).version).toBe(2);
	});
});

describe('refusals', () => {
	test('roles: policymakers, enterprises and anonymous can do nothing; analysts cannot publish', async () => {
		await campaign('rv-3');
		for (const who of [policymaker, enterpriseUser, null, undefined])
			await refused(buildDraftRelease(db, who, 'rv-3', { now: NOW }), 'forbidden');
		expect(await db.collection(C.releases).countDocuments({ campaignId: 'rv-3' })).toBe(0);
		const draft = await buildDraftRelease(db, analyst, 'rv-3', { now: NOW });
		for (const who of [policymaker, enterpriseUser, null]) {
			await refused(submitDraftRelease(db, who, draft._id), 'forbidden');
			await refused(discardDraftRelease(db, who, draft._id), 'forbidden');
			await refused(releaseForReview(db, who, draft._id), 'forbidden');
		}
		await submitDraftRelease(db, analyst, draft._id);
		for (const who of [analyst, policymaker, enterpriseUser, null]) {
			await refused(publishSubmittedRelease(db, who, draft._id), 'forbidden');
			await refused(returnSubmittedRelease(db, who, draft._id, 'Lý do hợp lệ'), 'forbidden');
		}
		// A submitted release is not discarded by its builder: it is returned first.
		await refused(discardDraftRelease(db, analyst, draft._id), 'state');
		expect((await releaseDoc(draft._id))?.status).toBe('submitted');
		expect(await audits('release.publish', `releases/${draft._id}`)).toHaveLength(0);
	});

	test('ids: unknown, of a campaign instead of a release, not strings, too long', async () => {
		for (const id of ['missing', 'rv-3', '', 42, null, { $ne: null }, ['x'], 'x'.repeat(65)]) {
			await refused(submitDraftRelease(db, analyst, id), 'not-found');
			await refused(publishSubmittedRelease(db, admin, id), 'not-found');
			await refused(returnSubmittedRelease(db, admin, id, 'Lý do hợp lệ'), 'not-found');
			await refused(discardDraftRelease(db, analyst, id), 'not-found');
			await refused(releaseForReview(db, analyst, id), 'not-found');
		}
		for (const id of ['missing', '', 42, null, { $ne: null }])
			await refused(buildDraftRelease(db, analyst, id, { now: NOW }), 'not-found');
	});

	test('states: a running campaign, one without submissions, one reopened after the build', async () => {
		await campaign('rv-4', { status: 'open', closesAt: new Date('2025-08-01T00:00:00Z') });
		await refused(buildDraftRelease(db, analyst, 'rv-4', { now: NOW }), 'state');
		await campaign('rv-5', {}, 0);
		const empty = await refused(buildDraftRelease(db, analyst, 'rv-5', { now: NOW }), 'state');
		expect(empty.text.vi).toMatch(/chưa có phiếu nào/);
		expect(await db.collection(C.releases).countDocuments({ campaignId: { $in: ['rv-4', 'rv-5'] } })).toBe(0);
		expect(await campaignStatus('rv-4')).toBe('open');

		await campaign('rv-6');
		const draft = await buildDraftRelease(db, analyst, 'rv-6', { now: NOW });
		await submitDraftRelease(db, analyst, draft._id);
		await reopenCampaign(db, admin, 'rv-6', '2025-08-01', { now: NOW, timeZone: 'Asia/Ho_Chi_Minh' });
		const e = await refused(publishSubmittedRelease(db, admin, draft._id, { now: NOW }), 'state');
		expect(e.text.en).toMatch(/reopened/);
		expect((await releaseDoc(draft._id))?.status).toBe('submitted');
		expect(await campaignStatus('rv-6')).toBe('open');
	});
});
