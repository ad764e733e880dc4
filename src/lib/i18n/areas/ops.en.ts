import type { vi } from './ops.vi';

export const en: Record<keyof typeof vi, string> = {
	'ops.phase.draft': 'Draft',
	'ops.phase.scheduled': 'Scheduled',
	'ops.phase.open': 'Open',
	'ops.phase.closed': 'Closed',
	'ops.phase.published': 'Published',
	'ops.phase': 'Phase',
	'ops.timesIn': "Times in the department's time zone ({zone}).",
	'ops.lifecycle': 'Campaign lifecycle',
	'ops.closeNow': 'Close now',
	'ops.closeReason': 'Reason for closing (recorded in the audit log)',
	'ops.closeHelp':
		'Once closed, enterprises can no longer save or submit; the campaign can be published. An administrator can reopen it if needed.',
	'ops.closeConfirm': 'Close this campaign now?',
	'ops.closed': 'The campaign is closed.',
	'ops.reopen': 'Reopen until',
	'ops.reopenButton': 'Reopen',
	'ops.reopened': 'The campaign is open again.',
	'ops.publishHelp': 'The campaign is closed: its results can be published (protected tables).',
	'ops.goPublish': 'Go to publishing',
	'ops.scheduledHelp': 'The campaign opens on {date}.',
	'ops.openHelp': 'Accepting answers until the end of {date}.',
	'ops.publishedHelp': 'Published. A new version can be published after late submissions or corrections.',
	'ops.viewTracking': 'Tracking',
	'ops.created': 'Campaign “{name}” created.',
	'ops.version': 'Questionnaire version',
	'ops.versionLatest': '{version} (latest)',
	'ops.createConfirm': 'Create the campaign {name} with questionnaire {version}, from {opens} to {closes}?',
	'ops.datesLocal':
		'The opening day starts at 00:00 and the closing day ends at 23:59, department time ({zone}).',
	'import.chooseCampaign': '— Choose a campaign —',
	'import.enrolLegend': 'Enrol the enterprises of the file in a campaign?',
	'import.enrol.none': 'No, only update the register',
	'import.enrol.enrol': 'Yes, enrol them in a campaign (no e-mail)',
	'import.enrol.invite': 'Yes, enrol them in a campaign and send invitations',
	'import.plan.none': 'After the import: the register is updated; no enterprise is enrolled in any campaign.',
	'import.plan.enrol':
		'After the import: the valid enterprises of the file will be enrolled in “{campaign}” (no e-mail).',
	'import.plan.invite':
		'After the import: the valid enterprises of the file will be enrolled in “{campaign}” and invited by e-mail.'
};
