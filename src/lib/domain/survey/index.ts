/** Questionnaire validation: compile once, shape-check every autosave, validate on submit/import. */
export { compileQuestionnaire, QuestionnaireCompileError, COMMENT_SUFFIX } from './compile';
export { checkShape } from './shape';
export { validateForSubmit } from './validate';
export { withServerComputed } from './computed';
export { validateWithSurveyCore } from './surveycore';
export { message } from './messages';
export * from './types';
export { admitQuestionnaire, MAX_ELEMENTS } from './admit';
export type { Refusal } from './admit';
