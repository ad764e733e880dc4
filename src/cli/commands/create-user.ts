/** `techcap create-user`: creates an account directly (first admin, staff accounts, scripts). */
import { parseArgs, requireFlag, UsageError, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import { AuthInputError } from '../../lib/server/auth/types';
import { createUser, isRole } from '../../lib/server/auth/users';

const command: Command = {
	name: 'create-user',
	summary: 'Create a user account (password from --password or the TECHCAP_PASSWORD environment variable)',
	usage:
		'create-user --email E --role enterprise|analyst|policymaker|admin --name N [--enterprise ID] ' +
		'[--password P] [--locale vi|en] [--microdata] [--publisher]',
	async run(argv, io) {
		const args = parseArgs(argv, {
			values: ['email', 'role', 'name', 'enterprise', 'password', 'locale'],
			booleans: ['microdata', 'publisher']
		});
		const email = requireFlag(args, 'email');
		const role = requireFlag(args, 'role');
		const name = requireFlag(args, 'name');
		if (!isRole(role))
			throw new UsageError(`--role must be one of enterprise, analyst, policymaker, admin (got '${role}')`);
		const enterpriseId = typeof args.flags.enterprise === 'string' ? args.flags.enterprise : undefined;
		const locale = typeof args.flags.locale === 'string' ? args.flags.locale : 'vi';
		if (locale !== 'vi' && locale !== 'en')
			throw new UsageError(`--locale must be vi or en (got '${locale}')`);
		if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
		// Prefer the environment: a --password value is visible in `ps` and shell history.
		const password =
			typeof args.flags.password === 'string'
				? args.flags.password
				: process.env.TECHCAP_PASSWORD || undefined;

		const db = await getDatabase();
		try {
			const user = await createUser(db, {
				email,
				name,
				role,
				enterpriseId,
				password,
				locale,
				microdata: args.flags.microdata === true,
				publisher: args.flags.publisher === true
			});
			io.out(`created ${user.role} ${user.email} (id ${user.id})`);
			if (!user.hasPassword) {
				io.out(
					`no password set: the account cannot sign in until it accepts an invitation ` +
						`(techcap invite --email ${user.email} --role ${user.role}` +
						`${user.enterpriseId ? ` --enterprise ${user.enterpriseId}` : ''})`
				);
			}
			return 0;
		} catch (e) {
			if (e instanceof AuthInputError) {
				const fromEnv = e.field === 'password' && typeof args.flags.password !== 'string';
				const where = fromEnv ? 'TECHCAP_PASSWORD: ' : e.field ? `--${cliFlag(e.field)}: ` : '';
				io.err(`techcap create-user: ${where}${e.text.en}`);
				return 1;
			}
			throw e;
		}
	}
};

/** Maps a library field name back to the option the user typed. */
export function cliFlag(field: string): string {
	return field === 'enterpriseId' ? 'enterprise' : field === 'ttlDays' ? 'days' : field;
}

export default command;
