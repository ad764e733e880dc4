/**
 * The demo sector database: three sectors over three consecutive years, 300–800 enterprises per
 * sector-year (at scale 1), drawn by the synthetic-response generator. Enterprises form a panel:
 * most take part every year and their capability drifts upwards, so trends and follow-up have
 * something to show. The demo enterprise account belongs to one mechanical enterprise that
 * answered the two earlier years and is invited to the current one.
 */
import type { Database } from '../db/types';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc, type ScoreDoc } from '../db/schema';
import { newId } from '../db/ids';
import { listSectors, listVersions, loadSurvey } from '../surveys';
import { compiledQuestionnaire } from '../responses';
import { generateResponses, type EnterpriseProfile } from '$lib/domain/generator';
import { createRng } from '$lib/domain/generator/prng';
import { validateForSubmit } from '$lib/domain/survey';
import { storedScoreResult } from '$lib/domain/rubric';

export const DEMO_ENTERPRISE_ID = 'demo-enterprise-1';
export const DEMO_ENTERPRISE_EMAIL = 'enterprise@demo.techcap.vn';

export interface DemoDatasetOptions {
	/** 1 → ~650 enterprises per sector, ~490 answering each year. */
	scale?: number;
	/** The current (open) year; the two before it are closed. Default: this year. */
	year?: number;
	onProgress?: (done: number, total: number) => void;
}

export interface DemoDatasetSummary {
	campaigns: number;
	enterprises: number;
	responses: number;
	submitted: number;
	rejected: number;
}

const BATCH = 500;

async function insertInBatches<T extends { _id: string }>(
	db: Database,
	name: string,
	docs: T[]
): Promise<void> {
	const coll = db.collection<T>(name);
	for (let i = 0; i < docs.length; i += BATCH) await coll.insertMany(docs.slice(i, i + BATCH));
}

export async function seedDemoDataset(
	db: Database,
	opts: DemoDatasetOptions = {}
): Promise<DemoDatasetSummary> {
	const scale = opts.scale ?? 1;
	const current = opts.year ?? new Date().getFullYear();
	const years = [current - 2, current - 1, current];
	const poolSize = Math.max(6, Math.round(650 * scale));
	const summary: DemoDatasetSummary = {
		campaigns: 0,
		enterprises: 0,
		responses: 0,
		submitted: 0,
		rejected: 0
	};
	const sectors = listSectors();
	const now = new Date();
	let step = 0;
	const steps = sectors.length * years.length;

	for (const sector of sectors) {
		const survey = loadSurvey(`${sector.id}/${listVersions(sector.id).at(-1)}`);
		const compiled = compiledQuestionnaire(survey.id);
		const rng = createRng(`demo:${sector.id}`);
		// The pool: each enterprise's profile and latent capability, fixed across years.
		const drawnPool = generateResponses({
			questionnaire: survey.questionnaire,
			sector: sector.id,
			count: poolSize,
			seed: `pool:${sector.id}`,
			year: years[0],
			referenceValues: survey.referenceValuesFor(years[0])
		});
		// The demo enterprise is a mid-capability private firm: its scorecard then has both strengths and gaps.
		const demoIndex =
			sector.id === 'mechanical'
				? drawnPool.reduce(
						(best, r, i) =>
							r.profile.ownership === 'private' &&
							Math.abs(r.capability - 0.55) < Math.abs(drawnPool[best].capability - 0.55)
								? i
								: best,
						0
					)
				: -1;
		const pool = drawnPool.map((r, i) => ({
			id: i === demoIndex ? DEMO_ENTERPRISE_ID : newId(),
			profile: r.profile,
			capability: r.capability
		}));
		const enterprises: EnterpriseDoc[] = pool.map((m) => enterpriseDoc(m.id, m.profile, now));
		if (demoIndex >= 0) {
			enterprises[demoIndex].email = DEMO_ENTERPRISE_EMAIL;
			enterprises[demoIndex].name = 'Công ty TNHH Cơ khí Demo Hà Nội';
		}
		await insertInBatches(db, C.enterprises, enterprises);
		summary.enterprises += enterprises.length;

		for (const year of years) {
			const isCurrent = year === current;
			const campaign: CampaignDoc = {
				_id: newId(),
				sector: sector.id,
				year,
				surveyId: survey.id,
				name: { vi: `Khảo sát ${sector.name.vi} năm ${year}`, en: `${sector.name.en} survey ${year}` },
				opensAt: isCurrent
					? new Date(now.getTime() - 30 * 86400_000)
					: new Date(`${year}-03-01T00:00:00+07:00`),
				closesAt: isCurrent
					? new Date(now.getTime() + 45 * 86400_000)
					: new Date(`${year}-06-30T23:59:59+07:00`),
				status: isCurrent ? 'open' : 'closed',
				peerThreshold: 5,
				createdBy: null,
				createdAt: now,
				updatedAt: now
			};
			await db.collection<CampaignDoc>(C.campaigns).insertOne(campaign);
			summary.campaigns++;

			// About three in four pool members answer a given year; the demo enterprise always takes part.
			const members = pool.filter((m) => m.id === DEMO_ENTERPRISE_ID || rng.next() < 0.75);
			for (const m of members) m.capability = Math.min(0.98, m.capability + 0.02 + rng.normal() * 0.03);
			const drawn = generateResponses({
				questionnaire: survey.questionnaire,
				sector: sector.id,
				count: 0,
				seed: `${sector.id}:${year}`,
				year,
				referenceValues: survey.referenceValuesFor(year),
				// Online submissions must answer every required question, so the demo leaves none out.
				missingRate: 0,
				panel: members
			});
			const scorer = survey.scorer(year);
			const responses: ResponseDoc[] = [];
			const scores: ScoreDoc[] = [];
			drawn.forEach((r, i) => {
				const member = members[i];
				const base = responseDoc(campaign, member.id, now);
				// Current year: the demo enterprise is invited (for the walk-through), some others are unfinished.
				const roll = rng.next();
				if (isCurrent && (member.id === DEMO_ENTERPRISE_ID || roll < 0.05)) return responses.push(base);
				if (isCurrent && roll < 0.15) {
					responses.push({
						...base,
						status: 'in-progress',
						data: partial(r.answers),
						currentPageNo: 2,
						revision: 3,
						startedAt: now
					});
					return;
				}
				const checked = validateForSubmit(compiled, r.answers);
				if (!checked.ok) {
					summary.rejected++;
					return;
				}
				const score = scorer.score(checked.cleaned);
				const scoreId = newId();
				const submittedAt = isCurrent
					? new Date(now.getTime() - rng.int(1, 25) * 86400_000)
					: new Date(`${year}-05-15T10:00:00+07:00`);
				responses.push({
					...base,
					status: 'submitted',
					data: checked.cleaned,
					revision: 5,
					startedAt: submittedAt,
					submittedAt,
					submitKey: `demo:${scoreId}`,
					score: {
						total: score.total,
						K: score.K,
						level: score.level,
						rubricVersion: score.rubricVersion,
						scoreId
					}
				});
				scores.push({
					_id: scoreId,
					responseId: base._id,
					campaignId: campaign._id,
					enterpriseId: member.id,
					rubricVersion: score.rubricVersion,
					referenceYear: year,
					total: score.total,
					K: score.K,
					level: score.level,
					groups: score.groups,
					result: storedScoreResult(score),
					current: true,
					reason: 'submit',
					scoredAt: submittedAt
				});
				summary.submitted++;
			});
			await insertInBatches(db, C.responses, responses);
			await insertInBatches(db, C.scores, scores);
			summary.responses += responses.length;
			opts.onProgress?.(++step, steps);
		}
	}
	return summary;
}

function enterpriseDoc(id: string, p: EnterpriseProfile, now: Date): EnterpriseDoc {
	return {
		_id: id,
		taxCode: p.taxCode,
		name: p.name,
		vsic: p.vsic,
		ward: p.ward,
		ownership: p.ownership,
		foundedYear: p.foundedYear,
		employees: p.employees,
		revenueBn: p.revenueBn,
		capitalBn: Math.round(p.equipmentValueBn * 1.6 * 100) / 100,
		email: `mst${p.taxCode}@demo.techcap.vn`,
		createdAt: now,
		updatedAt: now
	};
}

function responseDoc(campaign: CampaignDoc, enterpriseId: string, now: Date): ResponseDoc {
	return {
		_id: newId(),
		campaignId: campaign._id,
		enterpriseId,
		status: 'invited',
		data: {},
		currentPageNo: 0,
		revision: 0,
		source: 'online',
		createdAt: now,
		updatedAt: now,
		startedAt: null,
		submittedAt: null,
		submitKey: null,
		score: null,
		reopened: []
	};
}

/** The first pages' answers only: an unfinished response. */
function partial(answers: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(answers).filter(([k]) => k.startsWith('profile_') || k.startsWith('t'))
	);
}
