import type { vi } from './questionnaire.vi';

export const en: Record<keyof typeof vi, string> = {
	'number.characters':
		'Use digits only: a point for decimals, commas or spaces between thousands (for example 1,250,000.5).',
	'number.exponent': 'Write the number out in full, not in exponent form such as 1e6.',
	'number.separators':
		'This number cannot be read: use one decimal point at most, and commas or spaces between groups of three digits (for example 1,250,000.5).',
	'number.incomplete': 'The number is not finished.',
	'number.tooLong': 'Too many digits: at most 15 significant digits.',
	'number.range': 'Enter a number from {min} to {max}.',
	'number.min': 'Enter a number of at least {min}.',
	'number.max': 'Enter a number of at most {max}.',
	'number.notSaved': '(Not saved.)',
	'number.choose': '“{text}” can be read two ways: choose the number you meant below.',
	'number.whichOne': 'Which number is “{text}”?',
	'number.readAs': 'Read as {value} ({spelled}).',
	'enterprise.reopened': 'The questionnaire was reopened for corrections. Reason: {reason}',
	'plausibility.higher':
		"Note: about {factor} times last year's answer ({previous}). Check the unit and the number of zeros; if it is right, keep it.",
	'plausibility.lower':
		"Note: only about 1/{factor} of last year's answer ({previous}). Check the unit and the number of zeros; if it is right, keep it.",
	'plausibility.usualHigher':
		'Note: above the range most enterprises of the sector answered ({low} – {high}, published for {year}). Check the unit and the number of zeros; if it is right, keep it.',
	'plausibility.usualLower':
		'Note: below the range most enterprises of the sector answered ({low} – {high}, published for {year}). Check the unit and the number of zeros; if it is right, keep it.',
	'plausibility.confirmed': 'Confirmed warnings',
	'plausibility.confirmedCount': '{count} plausibility warning(s) confirmed by enterprises when submitting.',
	'plausibility.none': 'No warnings.',
	'plausibility.question': 'Question',
	'plausibility.value': 'Value',
	'plausibility.comparison': 'Compared with',
	'plausibility.confirmedAt': 'Confirmed at',
	'plausibility.lastYear': 'last year: {previous} ({factor} times, threshold ×{ratio})',
	'plausibility.lastYearLower': 'last year: {previous} (1/{factor} of it, threshold ×{ratio})',
	'plausibility.usual': 'usual range for {year}: {low} – {high}',
	'plausibility.importRow': 'Worth checking (not blocking the import): {value}, {comparison}.',
	'plausibility.importSummary':
		"{count} answer(s) far from last year or outside the sector's usual range; imported, not blocked. See the details (code plausibility) in the report.",
	'answers.title': 'Your answers',
	'answers.print': 'Print / save as PDF',
	'answers.pdf': 'View and print your answers (PDF)',
	'answers.submittedAt': 'Submitted',
	'answers.draft': 'Not submitted yet: these are the answers saved so far.',
	'answers.taxCode': 'Tax code',
	'answers.question': 'Question',
	'answers.answer': 'Answer',
	'answers.back': 'Back',
	'answers.none': 'No answers yet.',
	'review.warnings': 'Worth a second look (not required):',
	'scorecard.answersCsv': 'Download your answers (CSV)',
	'review.title': 'Review and submit',
	'review.loading': 'Checking your answers…',
	'review.ready':
		'Every required question is answered; your answers are on the review page behind this dialog.',
	'review.expected': 'Expected technology level: {level} ({total}/100 points).',
	'review.lock':
		'Once submitted, the questionnaire is locked; only an administrator can reopen it for corrections.',
	'review.blocked': '{count} question(s) to answer or correct before submitting:',
	'review.offline': 'Your answers could not be checked (no connection?). They are kept as they are.',
	'review.confirm': 'Confirm and submit',
	'review.back': 'Back to the questionnaire',
	'review.retry': 'Try again'
};
