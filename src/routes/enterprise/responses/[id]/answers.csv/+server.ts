import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { responseForEnterprise } from '$lib/server/responses';
import { loadSurvey } from '$lib/server/surveys';
import { answerRows } from '$lib/domain/answers/sheet';
import { toCsvString, type CsvCell } from '$lib/domain/csv';
import type { RequestHandler } from './$types';

/**
 * The enterprise's own answers as CSV for Excel: titles and choice texts in the reader's
 * language; Vietnamese Excel gets `;` and decimal commas. Another enterprise's id is a 404.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const db = await getDatabase();
	const ctx = await responseForEnterprise(db, locals.user!, params.id);
	if (!ctx) error(404, { message: 'Not found' });
	const vi = locals.locale === 'vi';
	const rows: Record<string, CsvCell>[] = answerRows(
		loadSurvey(ctx.campaign.surveyId).questionnaire,
		ctx.response.data,
		locals.locale
	).map((r) => ({ ...r }));
	const csv = toCsvString(
		rows,
		[
			{ key: 'page', header: vi ? 'Trang' : 'Page' },
			{ key: 'code', header: vi ? 'Mã câu hỏi' : 'Question code' },
			{ key: 'question', header: vi ? 'Câu hỏi' : 'Question' },
			{ key: 'answer', header: vi ? 'Trả lời' : 'Answer' }
		],
		vi ? { delimiter: ';', numberFormat: 'comma-decimal' } : {}
	);
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="answers-${ctx.campaign.sector}-${ctx.campaign.year}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
