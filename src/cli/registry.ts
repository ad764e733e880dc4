import type { Command } from './command';

/**
 * Every subcommand, loaded lazily so `techcap --help` stays fast and a subcommand's heavy imports
 * (survey-core, the database) load only when it runs. Add one line per new command.
 */
export const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
	campaigns: () => import('./commands/campaigns'),
	seed: () => import('./commands/seed'),
	lint: () => import('./commands/lint'),
	score: () => import('./commands/score'),
	classify: () => import('./commands/classify'),
	generate: () => import('./commands/generate'),
	'create-user': () => import('./commands/create-user'),
	invite: () => import('./commands/invite'),
	mail: () => import('./commands/mail'),
	release: () => import('./commands/release'),
	export: () => import('./commands/export'),
	remind: () => import('./commands/remind'),
	rescore: () => import('./commands/rescore'),
	backup: () => import('./commands/backup'),
	restore: () => import('./commands/restore'),
	import: () => import('./commands/import'),
	template: () => import('./commands/template'),
	shortlist: () => import('./commands/shortlist'),
	validate: () => import('./commands/validate')
};
