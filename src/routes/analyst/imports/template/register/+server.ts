import { registerTemplate } from '$lib/server/imports';
import type { RequestHandler } from './$types';

/** The enterprise register template in the user's language (headers the import reads, one example row). */
export const GET: RequestHandler = ({ locals }) =>
	new Response(registerTemplate(locals.locale), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${locals.locale === 'vi' ? 'danh-ba-doanh-nghiep-mau' : 'enterprise-register-template'}.csv"`
		}
	});
