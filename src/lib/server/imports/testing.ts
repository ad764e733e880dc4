/** Test support: a temp embedded database with a campaign and register, and CSV writers. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCsvString, type Template } from '$lib/domain/csv';
import { iterateResponses, type SyntheticResponse } from '$lib/domain/generator';
import { openDatabase } from '../db';
import type { Database } from '../db/types';
import { C, type CampaignDoc, type EnterpriseDoc } from '../db/schema';
import { newId } from '../db/ids';
import { createCampaign } from '../campaigns';
import { loadSurvey } from '../surveys';
import { templateFor } from './responses';
import { answersToRecord } from './record';

export interface ImportFixture {
	db: Database;
	dir: string;
	campaign: CampaignDoc;
	template: Template;
	file(name: string, text: string | Uint8Array): Promise<string>;
	cleanup(): Promise<void>;
}

export const SURVEY = 'mechanical/2025.1';

export async function importFixture(
	opts: { dir?: string; status?: CampaignDoc['status'] } = {}
): Promise<ImportFixture> {
	const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'techcap-imp-')));
	const db = await openDatabase({ dir: join(dir, 'db') });
	const now = Date.now();
	const campaign = await createCampaign(db, {
		sector: 'mechanical',
		year: 2025,
		surveyId: SURVEY,
		opensAt: new Date(now - 86400e3),
		closesAt: new Date(now + 30 * 86400e3),
		status: opts.status ?? 'open',
		createdBy: null
	});
	return {
		db,
		dir,
		campaign,
		template: templateFor(SURVEY),
		async file(name, text) {
			const p = join(dir, name);
			await writeFile(p, text);
			return p;
		},
		async cleanup() {
			await db.close();
			await rm(dir, { recursive: true, force: true });
		}
	};
}

export function generated(count: number, seed: number | string, missingRate = 0): SyntheticResponse[] {
	const s = loadSurvey(SURVEY);
	return [
		...iterateResponses({
			questionnaire: s.questionnaire,
			sector: 'mechanical',
			count,
			seed,
			referenceValues: s.referenceValuesFor(2025),
			missingRate
		})
	];
}

/** Adds the generated enterprises to the register (as a register import would). */
export async function registerOf(db: Database, rs: SyntheticResponse[]): Promise<void> {
	const now = new Date();
	const docs: EnterpriseDoc[] = rs.map((r) => ({
		_id: newId(),
		taxCode: r.profile.taxCode,
		name: r.profile.name,
		vsic: r.profile.vsic,
		ward: r.profile.ward,
		ownership: r.profile.ownership,
		employees: r.profile.employees,
		revenueBn: r.profile.revenueBn,
		createdAt: now,
		updatedAt: now
	}));
	for (let i = 0; i < docs.length; i += 5000)
		await db.collection<EnterpriseDoc>(C.enterprises).insertMany(docs.slice(i, i + 5000));
}

export function responsesCsv(template: Template, answers: Array<Record<string, unknown>>): string {
	return toCsvString(
		answers.map((a) => answersToRecord(template, a)),
		template.columns.map((c) => c.name),
		{ escapeFormulas: false }
	);
}
