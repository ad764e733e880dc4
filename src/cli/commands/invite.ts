/** `techcap invite`: creates a single-use invitation link and prints it. */
import { parseArgs, requireFlag, UsageError, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import { AuthInputError } from '../../lib/server/auth/types';
import { isRole } from '../../lib/server/auth/users';
import { createInvitation, invitationPath } from '../../lib/server/auth/invitations';
import { cliFlag } from './create-user';

const command: Command = {
	name: 'invite',
	summary: 'Create an invitation link through which a user sets a password (printed, valid --days days)',
	usage:
		'invite --email E --role enterprise|analyst|policymaker|admin [--enterprise ID] [--campaign ID] [--days N]',
	async run(argv, io) {
		const args = parseArgs(argv, { values: ['email', 'role', 'enterprise', 'campaign', 'days'] });
		const email = requireFlag(args, 'email');
		const role = requireFlag(args, 'role');
		if (!isRole(role))
			throw new UsageError(`--role must be one of enterprise, analyst, policymaker, admin (got '${role}')`);
		let ttlDays = 14;
		if (typeof args.flags.days === 'string') {
			ttlDays = Number(args.flags.days);
			if (!Number.isInteger(ttlDays) || ttlDays < 1 || ttlDays > 365)
				throw new UsageError(`--days must be a whole number from 1 to 365 (got '${args.flags.days}')`);
		}
		if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);

		const db = await getDatabase();
		try {
			const inv = await createInvitation(db, {
				email,
				role,
				enterpriseId: typeof args.flags.enterprise === 'string' ? args.flags.enterprise : undefined,
				campaignId: typeof args.flags.campaign === 'string' ? args.flags.campaign : undefined,
				createdBy: null,
				ttlDays
			});
			const origin = (process.env.ORIGIN ?? '').replace(/\/+$/, '');
			io.out(origin + invitationPath(inv.token));
			io.err(`invitation for ${email.trim().toLowerCase()} (${role}) expires ${inv.expiresAt.toISOString()}`);
			return 0;
		} catch (e) {
			if (e instanceof AuthInputError) {
				io.err(`techcap invite: ${e.field ? `--${cliFlag(e.field)}: ` : ''}${e.text.en}`);
				return 1;
			}
			throw e;
		}
	}
};

export default command;
