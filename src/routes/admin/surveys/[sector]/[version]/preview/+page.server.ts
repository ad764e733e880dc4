import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { loadSurveyAsync, UnknownSurveyError } from '$lib/server/surveys';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const db = await getDatabase();
	const id = `${params.sector}/${params.version}`;
	const survey = await loadSurveyAsync(db, id).catch((e) => {
		if (e instanceof UnknownSurveyError || (e instanceof Error && e.message.startsWith('survey id')))
			error(404, { message: 'Not found' });
		throw e;
	});
	const lang = url.searchParams.get('lang');
	return {
		id,
		questionnaire: survey.questionnaire,
		lang: lang === 'en' || lang === 'vi' ? lang : locals.locale,
		readOnly: url.searchParams.get('mode') === 'readonly'
	};
};
