export * from './types';
export {
	parseFormula,
	compileFormula,
	formulaVariables,
	formulaReferences,
	FormulaError,
	isMissingAnswer,
	toNumber
} from './formula';
export { indexQuestionnaire, lintQuestionnaire, isAnswerable, QUESTION_TYPES } from './questionnaire';
export type { QuestionInfo, QuestionnaireIndex, QuestionType, ChoiceValue } from './questionnaire';
export {
	validateRubric,
	validateReferenceValues,
	validateSurveyBundle,
	loadRubric,
	loadReferenceValues
} from './validate';
export type { ReferenceFile, SurveyBundleInput } from './validate';
export {
	compileRubric,
	scoreResponse,
	classify,
	computeK,
	levelFor,
	ladderIndex,
	referenceValuesFor,
	roundTo
} from './score';
export type { CompiledRubric, CompileOptions } from './score';
export { storedScoreResult, storedPoints, storedMissing, storedCriteria } from './stored';
export type { StoredScoreResult } from './stored';
export { AnswerError, answerGuard, parseDecimal } from './guard';
export type { EquipmentCheck, GuardOptions } from './guard';
export {
	aggregateEquipment,
	automatedShare,
	meanAge,
	meanResidual,
	originPoints,
	originShares,
	readEquipmentRows,
	renewalShare,
	isEmptyList,
	EQUIPMENT_AGGREGATES,
	EQUIPMENT_ROLES
} from './equipment';
export type { EquipmentAggregate, EquipmentColumns, EquipmentRole, EquipmentRow } from './equipment';
