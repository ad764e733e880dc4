/**
 * E-mail: templates (vi/en, HTML + text), a queue in the database, a worker that sends over SMTP
 * with retries and leases, and an outbox when no SMTP server is configured. See transport.ts for
 * the environment variables and worker.ts for the delivery guarantee.
 */
export * from './types';
export {
	renderMail,
	renderInvitation,
	renderReminder,
	renderThanks,
	escapeHtml,
	isMailLocale,
	isMailTemplate
} from './templates';
export {
	enqueueMail,
	listMail,
	getMail,
	countMail,
	requeueMail,
	isMailStatus,
	normaliseRecipient,
	mailCollection,
	type EnqueueMailInput,
	type EnqueueOptions,
	type EnqueueResult,
	type ListMailOptions,
	type MailSummary
} from './queue';
export {
	processMailQueue,
	startMailWorker,
	claimNextMail,
	backoffMs,
	defaultWorkerId,
	DEFAULT_MAX_ATTEMPTS,
	DEFAULT_LEASE_MS,
	type ClaimedMail,
	type ProcessMailOptions,
	type ProcessMailResult,
	type MailWorker,
	type MailWorkerOptions
} from './worker';
export {
	transportFromEnv,
	smtpConfigFromEnv,
	createSmtpTransport,
	outboxTransport,
	messageIdFor,
	describeSendError,
	MailConfigError,
	type MailTransport,
	type SmtpConfig,
	type SmtpTransportOptions,
	type OutgoingMail,
	type SentInfo
} from './transport';
