/**
 * Demo policy data: five support programmes modelled on Vietnamese support schemes (cost per
 * enterprise in VND, eligibility) and, for follow-up, the enterprises the equipment programme
 * supported after each sector's earliest assessment (chosen by the shortlist builder itself).
 */
import type { Programme } from '$lib/domain/targeting';
import { C, type CampaignDoc } from '../db/schema';
import type { Database } from '../db/types';
import { saveProgramme, getProgramme } from './programmes';
import { shortlistFor } from './shortlist';
import { recordSupports } from './supports';

export const DEMO_PROGRAMMES: readonly Programme[] = [
	{
		id: 'doi-moi-thiet-bi',
		name: {
			vi: 'Hỗ trợ đổi mới thiết bị, dây chuyền sản xuất',
			en: 'Support for renewing production equipment and lines'
		},
		type: 'equipment',
		improves: [
			{ criterion: 'T1', points: 2 },
			{ criterion: 'T3', points: 2 },
			{ criterion: 'T5', points: 1 },
			{ criterion: 'T7', points: 1 }
		],
		costPerEnterpriseVnd: 500_000_000,
		eligibility: {
			sizes: ['micro', 'small', 'medium'],
			ownerships: ['state', 'private'],
			levels: ['lac-hau', 'trung-binh', 'trung-binh-tien-tien']
		}
	},
	{
		id: 'dao-tao-nhan-luc',
		name: {
			vi: 'Đào tạo, nâng cao kỹ năng lao động kỹ thuật',
			en: 'Training and upskilling of technical staff'
		},
		type: 'training',
		improves: [
			{ criterion: 'O15', points: 1 },
			{ criterion: 'O16', points: 2 },
			{ criterion: 'R22', points: 1 }
		],
		costPerEnterpriseVnd: 60_000_000,
		eligibility: { sizes: ['micro', 'small', 'medium'] }
	},
	{
		id: 'ap-dung-iso',
		name: {
			vi: 'Hỗ trợ áp dụng hệ thống quản lý (ISO 9001, ISO 14001, ISO 50001)',
			en: 'Support for management systems (ISO 9001, ISO 14001, ISO 50001)'
		},
		type: 'management',
		improves: [
			{ criterion: 'O13', points: 3 },
			{ criterion: 'O17', points: 1 },
			{ criterion: 'E10', points: 1 }
		],
		costPerEnterpriseVnd: 150_000_000,
		eligibility: { levels: ['lac-hau', 'trung-binh', 'trung-binh-tien-tien', 'tien-tien'] }
	},
	{
		id: 'nghien-cuu-phat-trien',
		name: {
			vi: 'Hỗ trợ nghiên cứu, phát triển và làm chủ công nghệ',
			en: 'Support for research, development and technology mastery'
		},
		type: 'rnd',
		improves: [
			{ criterion: 'R18', points: 1 },
			{ criterion: 'R19', points: 2 },
			{ criterion: 'R20', points: 1 },
			{ criterion: 'R21', points: 1 }
		],
		costPerEnterpriseVnd: 800_000_000,
		eligibility: {
			sizes: ['small', 'medium', 'large'],
			levels: ['trung-binh', 'trung-binh-tien-tien', 'tien-tien']
		}
	},
	{
		id: 'chuyen-doi-so',
		name: {
			vi: 'Hỗ trợ chuyển đổi số doanh nghiệp nhỏ và vừa',
			en: 'Digital transformation support for SMEs'
		},
		type: 'digital',
		improves: [
			{ criterion: 'O14', points: 2 },
			{ criterion: 'I26', points: 2 },
			{ criterion: 'E12', points: 1 }
		],
		costPerEnterpriseVnd: 200_000_000,
		eligibility: { sizes: ['micro', 'small', 'medium'] }
	}
];

/** Idempotent: existing programmes are left as edited; supports are recorded once. */
export async function seedPolicyDemo(db: Database): Promise<{ programmes: number; supports: number }> {
	let programmes = 0;
	for (const p of DEMO_PROGRAMMES)
		if (!(await getProgramme(db, p.id))) {
			await saveProgramme(db, structuredClone(p), null);
			programmes++;
		}
	let supports = 0;
	const campaigns = await db
		.collection<CampaignDoc>(C.campaigns)
		.find({ status: { $in: ['closed', 'published'] } }, { sort: { year: 1, sector: 1 } });
	const earliest = new Map<string, CampaignDoc>();
	for (const c of campaigns) if (!earliest.has(c.sector)) earliest.set(c.sector, c);
	for (const c of earliest.values()) {
		if ((await db.collection(C.supports).countDocuments({ year: c.year, sourceId: `campaign:${c._id}` })) > 0)
			continue;
		const n = await db.collection(C.scores).countDocuments({ campaignId: c._id, current: true });
		const view = await shortlistFor(
			db,
			{
				sourceId: `campaign:${c._id}`,
				programmeId: 'doi-moi-thiet-bi',
				// At least k = 5 in both assessments, so the follow-up estimate is shown to policymakers too.
				slots: Math.max(8, Math.round(n * 0.1))
			},
			{ role: 'admin' }
		);
		const r = await recordSupports(
			db,
			{
				programmeId: 'doi-moi-thiet-bi',
				year: c.year,
				enterpriseIds: view.selectedIds,
				origin: 'shortlist',
				sourceId: `campaign:${c._id}`
			},
			null
		);
		supports += r.added;
	}
	return { programmes, supports };
}
