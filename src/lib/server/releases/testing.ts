/** Test support: the documents a closed campaign with scored submissions is made of. */
import type { CampaignDoc, ResponseDoc, ScoreDoc } from '../db/schema';

const SURVEY = 'mechanical/2025.1';

/** A mechanical 2025 campaign (fieldwork March–June), closed unless said otherwise. */
export function mechanicalCampaign(
	id: string,
	now: Date,
	status: CampaignDoc['status'] = 'closed'
): CampaignDoc {
	return {
		_id: id,
		sector: 'mechanical',
		year: 2025,
		surveyId: SURVEY,
		name: { vi: 'Khảo sát Cơ khí 2025', en: 'Mechanical 2025' },
		opensAt: new Date('2025-03-01T00:00:00Z'),
		closesAt: new Date('2025-06-30T00:00:00Z'),
		status,
		peerThreshold: 5,
		createdBy: null,
		createdAt: now,
		updatedAt: now
	};
}

export interface SubmissionInput {
	campaignId: string;
	enterpriseId: string;
	/** Row number: the response and score ids are `<campaign>-r<i>` and `<campaign>-s<i>`. */
	i: number;
	total: number;
	K: number;
	level: string;
	/** INT step of the one ladder function (design, EXT 3). */
	ladderINT: number;
	now: Date;
}

/** A submitted online response with its current score (group scores as fixed shares of the total). */
export function submission(s: SubmissionInput): { response: ResponseDoc; score: ScoreDoc } {
	const responseId = `${s.campaignId}-r${s.i}`;
	const scoreId = `${s.campaignId}-s${s.i}`;
	return {
		response: {
			_id: responseId,
			campaignId: s.campaignId,
			enterpriseId: s.enterpriseId,
			status: 'submitted',
			data: {},
			currentPageNo: 0,
			revision: 1,
			source: 'online',
			createdAt: s.now,
			updatedAt: s.now,
			startedAt: s.now,
			submittedAt: s.now,
			submitKey: null,
			score: { total: s.total, K: s.K, level: s.level, rubricVersion: SURVEY, scoreId },
			reopened: []
		},
		score: {
			_id: scoreId,
			responseId,
			campaignId: s.campaignId,
			enterpriseId: s.enterpriseId,
			rubricVersion: SURVEY,
			referenceYear: 2025,
			total: s.total,
			K: s.K,
			level: s.level,
			groups: { T: s.total * 0.3, E: s.total * 0.2, O: s.total * 0.2, R: s.total * 0.2, I: s.total * 0.1 },
			result: {
				criteria: [{ id: 't1', points: 1 }],
				ladders: { functions: { design: { EXT: 3, INT: s.ladderINT, gap: 3 - s.ladderINT } } }
			},
			current: true,
			reason: 'submit',
			scoredAt: s.now
		}
	};
}
