/**
 * The SurveyJS library (survey-core, survey-js-ui and survey-core's Vietnamese texts), fetched
 * once per page load and only by pages that show a questionnaire. Requested as soon as the
 * questionnaire component's module is evaluated, before the page hydrates, so its download
 * overlaps the rest of the page's start instead of following it.
 */
export interface SurveyLibrary {
	core: typeof import('survey-core');
	ui: typeof import('survey-js-ui');
}

let pending: Promise<SurveyLibrary> | null = null;

export function loadSurveyLibrary(): Promise<SurveyLibrary> {
	pending ??= Promise.all([
		import('survey-core'),
		import('survey-js-ui'),
		// Needs only survey-core, which the browser fetches once for both.
		import('survey-core/i18n/vietnamese')
	]).then(
		([core, ui]) => ({ core, ui }),
		(e: unknown) => {
			// A failed download (offline) is tried again by the next caller.
			pending = null;
			throw e;
		}
	);
	return pending;
}
