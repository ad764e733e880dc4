/** `techcap restore <dir>`: replaces the database's contents with a backup made by `techcap backup`. */
import { resolve } from 'node:path';
import { parseArgs, UsageError, type Command } from '../command';
import { getDatabase, restoreDatabase } from '../../lib/server/db/index';
import { recordAudit } from '../../lib/server/audit';

const command: Command = {
	name: 'restore',
	summary: 'Replace the whole database with a backup folder (all or nothing); stop the server first',
	usage: 'restore <dir> [--yes]',
	async run(argv, io) {
		const args = parseArgs(argv, { booleans: ['yes'] });
		if (args.positionals.length !== 1) throw new UsageError('give exactly one backup folder');
		const dir = resolve(args.positionals[0]);
		const db = await getDatabase();
		// Restoring deletes what is there: ask for --yes unless the database is empty.
		let existing = 0;
		for (const name of await db.listCollections()) existing += await db.collection(name).countDocuments({});
		if (existing > 0 && !args.flags.yes)
			throw new UsageError(
				`the database holds ${existing} documents that the restore would replace; add --yes to confirm`
			);
		const started = Date.now();
		const manifest = await restoreDatabase(db, dir);
		// The restored log is the backup's; this entry records that history was rolled back.
		await recordAudit(db, {
			actor: null,
			action: 'database.restore',
			target: dir,
			before: { documents: existing },
			after: { backupCreatedAt: manifest.createdAt, engine: manifest.engine }
		});
		const total = Object.values(manifest.collections).reduce((s, c) => s + c.count, 0);
		io.out(
			`restored ${total} documents in ${Object.keys(manifest.collections).length} collections from ${dir} (taken ${manifest.createdAt} on the ${manifest.engine} engine) in ${Date.now() - started} ms`
		);
		return 0;
	}
};

export default command;
