/** `techcap backup <dir>`: a consistent snapshot of every collection (both engines) into a folder. */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, UsageError, type Command } from '../command';
import { backupDatabase, getDatabase } from '../../lib/server/db/index';
import { recordAudit } from '../../lib/server/audit';

const command: Command = {
	name: 'backup',
	summary: 'Write a consistent snapshot of the database (embedded or MongoDB) to a folder',
	usage: 'backup <dir> [--force]',
	async run(argv, io) {
		const args = parseArgs(argv, { booleans: ['force'] });
		if (args.positionals.length !== 1) throw new UsageError('give exactly one target folder');
		const dir = resolve(args.positionals[0]);
		// Never mix two snapshots in one folder: a half-overwritten backup restores neither.
		if (existsSync(dir) && readdirSync(dir).length > 0 && !args.flags.force)
			throw new UsageError(`${dir} is not empty; choose a new folder or add --force to overwrite`);
		const db = await getDatabase();
		// Recorded first so the snapshot itself shows when it was taken.
		await recordAudit(db, {
			actor: null,
			action: 'database.backup',
			target: dir,
			after: { engine: db.engine }
		});
		const started = Date.now();
		const manifest = await backupDatabase(db, dir);
		const total = Object.values(manifest.collections).reduce((s, c) => s + c.count, 0);
		io.out(
			`backed up ${total} documents in ${Object.keys(manifest.collections).length} collections from the ${manifest.engine} engine to ${dir} in ${Date.now() - started} ms`
		);
		if (!manifest.consistent)
			io.err(
				'warning: MongoDB without a replica set: collections were read one by one, so the snapshot is not point-in-time consistent'
			);
		return 0;
	}
};

export default command;
