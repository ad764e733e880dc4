import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { getImport, problemReportCsv } from '$lib/server/imports';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const imp = await getImport(await getDatabase(), params.id);
	if (!imp) error(404, { message: 'Not found' });
	return new Response(problemReportCsv(imp), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="import-${imp._id}-report.csv"`,
			'cache-control': 'no-store'
		}
	});
};
