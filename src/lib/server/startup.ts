/**
 * What the server does once before serving: open the database (creating indexes), and on the
 * embedded default seed the demo dataset the first time. A database that cannot be reached ends
 * the process with one clear line rather than a stack trace, so a deployer sees the cause at once.
 */
import { getDatabase } from './db';
import { ensureDemoData } from './demo/seed';
import { startMailWorker } from './mail';
import { refreshStoredSurveys } from './surveys';
import { startReminderScheduler } from './reminders';
import { appOrigin } from './campaigns';
import { installShutdown, onShutdown } from './shutdown';

let started: Promise<void> | null = null;

export function startup(): Promise<void> {
	started ??= (async () => {
		let db;
		try {
			db = await getDatabase();
		} catch (e) {
			console.error(`TechCap: ${e instanceof Error ? e.message : String(e)}`);
			process.exit(1);
		}
		// Flush steps run before the database closes on SIGTERM (see shutdown.ts).
		installShutdown();
		const stored = await refreshStoredSurveys(db);
		for (const bad of stored.invalid)
			console.error(
				`TechCap: stored survey version ${bad.id} is invalid and was not loaded (${bad.issues.length} problems)`
			);
		// The mail queue is in the database, so any number of app instances may run a worker.
		if (process.env.TECHCAP_MAIL_WORKER !== '0') {
			try {
				const worker = startMailWorker(db);
				onShutdown('mail worker', () => worker.stop());
			} catch (e) {
				console.error(`TechCap: mail worker not started: ${e instanceof Error ? e.message : String(e)}`);
			}
		}
		// Scheduled reminders: every instance ticks; the slot claim in reminders.ts lets one of them send.
		if (process.env.TECHCAP_REMINDERS !== '0') {
			const scheduler = startReminderScheduler(db, {
				origin: appOrigin(),
				intervalMs: Number(process.env.TECHCAP_REMINDER_INTERVAL_MS) || undefined
			});
			onShutdown('reminder scheduler', () => scheduler.stop());
		}
		const demo = process.env.TECHCAP_DEMO ?? (db.engine === 'embedded' ? '1' : '0');
		if (demo !== '0') {
			const started = Date.now();
			const seeded = await ensureDemoData(db, {
				onProgress: (done, total) => console.log(`TechCap: demo dataset ${done}/${total} sector-years`)
			});
			if (seeded.created)
				console.log(`TechCap: demo dataset ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
			printDemoLogins(seeded.logins);
		}
	})();
	return started;
}

function printDemoLogins(logins: readonly { role: string; email: string; password: string }[]): void {
	const origin = process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;
	console.log(`\nTechCap is starting at ${origin}`);
	console.log('Demo logins (change or disable them before real use):');
	for (const l of logins) console.log(`  ${l.role.padEnd(12)} ${l.email.padEnd(28)} ${l.password}`);
	console.log('');
}
