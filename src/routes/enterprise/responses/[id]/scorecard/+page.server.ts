import { error, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { responseForEnterprise } from '$lib/server/responses';
import { buildScorecard } from '$lib/server/scorecard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const db = await getDatabase();
	const ctx = await responseForEnterprise(db, locals.user!, params.id);
	if (!ctx) error(404, { message: 'Not found' });
	if (ctx.response.status !== 'submitted') redirect(303, `/enterprise/responses/${params.id}`);
	const card = await buildScorecard(db, ctx);
	if (!card) error(404, { message: 'Not found' });
	const enterprise = await db
		.collection<{ _id: string; name: string; taxCode: string }>('enterprises')
		.findOne({ _id: ctx.response.enterpriseId });
	return {
		card: { ...card, submittedAt: card.submittedAt?.toISOString() ?? null },
		enterprise: enterprise ? { name: enterprise.name, taxCode: enterprise.taxCode } : null,
		printedAt: new Date().toISOString()
	};
};
