/** CSV imports: enterprise register and campaign responses; see each module's header. */
export * from './types';
export { importResponses, responseImportContext, templateFor, importScoreDoc } from './responses';
export { problemColumn } from './rows';
export {
	importEnterprises,
	REGISTER_COLUMNS,
	readRegisterRow,
	type EnterpriseImportOptions,
	type EnterpriseImportResult
} from './enterprises';
export { analyseImport, type Analysis, type ColumnMapping } from './analyse';
export {
	importStatus,
	getImport,
	recentImports,
	problemReportCsv,
	templateFiles,
	registerTemplate,
	STALE_JOB_MS,
	type ImportStatusView
} from './status';
export { readUpload, UploadError, type Upload } from './multipart';
export { uploadPath, removeStaleTempFiles, fileChunks } from './source';
export { PROBLEM_CAP, canonicalJson } from './run';
export { answersToRecord } from './record';
export { startImportJob } from './jobs';
export { registerImportChoice, ENROL_CHOICES, type EnrolChoice, type RegisterImportChoice } from './choice';
