import type { vi } from './security.vi';

export const en: Record<keyof typeof vi, string> = {
	'security.nav.audit': 'Audit log',
	'security.forbidden.title': 'Access denied',
	'security.forbidden.body': 'Your account is not allowed to open this page.',
	'security.unavailable.title': 'Service temporarily unavailable',
	'security.unavailable.body':
		'The system cannot reach its database right now. Nothing you saved is lost; please try again in a few minutes.',
	'security.tooLarge':
		'The data sent is too large: the limit is {limit}. Split the file into smaller parts and send them again.',
	'security.badRequest': 'The request is not valid ({status}). Check the address or the form.',
	'security.reset.forgot': 'Forgot your password?',
	'security.reset.askTitle': 'Reset your password',
	'security.reset.askIntro':
		'Enter the email address of your account. If the account is active, we will send it a one-time link (valid for 30 minutes) to set a new password and sign in.',
	'security.reset.send': 'Send the link',
	'security.reset.title': 'Set a new password',
	'security.reset.intro': 'Set a new password for {email}. Every other session of the account will end.',
	'security.reset.submit': 'Save the password and sign in',
	'security.reset.askAgain': 'Ask for a new link',
	'security.audit.title': 'Audit log',
	'security.audit.intro':
		'Every administrative action, reopened submission, microdata export and rubric change is recorded here (append-only: entries cannot be edited or deleted).',
	'security.audit.action': 'Action',
	'security.audit.allActions': 'All actions',
	'security.audit.actor': 'Who',
	'security.audit.filter': 'Filter',
	'security.audit.export': 'Export CSV',
	'security.audit.at': 'When',
	'security.audit.target': 'Target',
	'security.audit.before': 'Before',
	'security.audit.after': 'After',
	'security.audit.ip': 'IP address',
	'security.audit.system': 'System',
	'security.audit.none': 'No entries match the filter.',
	'security.audit.showing': 'Showing the latest {shown} of {total} entries.',
	'security.audit.older': 'Older',
	'security.audit.newer': 'Newer',
	'security.audit.details': 'Details'
};
