/**
 * The measured half of import_rows: a fresh process (as `techcap import responses` is) opens the
 * database the parent prepared, imports the file, and prints one JSON line with the time per
 * phase and the kernel's peak-RSS mark (VmHWM), which sees every allocation, not only samples.
 * Usage: tsx bench/import.child.ts <db dir> <campaign id> <file>
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { openDatabase } from '../src/lib/server/db/index';
import { importResponses } from '../src/lib/server/imports/responses';
import { analystDashboard } from '../src/lib/server/releases/dashboard';
import { rightsOf } from '../src/lib/server/releases/read';
import { responseForEnterprise } from '../src/lib/server/responses';
import { buildScorecard } from '../src/lib/server/scorecard';

/** IMPORT_BENCH_PROFILE=<file.cpuprofile> records a CPU profile of the import alone. */
async function startProfiler(file: string | undefined): Promise<{ stop(): Promise<void> } | null> {
	if (!file) return null;
	const { Session } = await import('node:inspector/promises');
	const { writeFile } = await import('node:fs/promises');
	const session = new Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.start');
	return {
		async stop() {
			const { profile } = await session.post('Profiler.stop');
			await writeFile(file, JSON.stringify(profile));
			session.disconnect();
		}
	};
}

function statusMb(field: string): number {
	const line = readFileSync('/proc/self/status', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${field}:`));
	return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : -1;
}

const [dir, campaignId, file] = process.argv.slice(2);
const tOpen = performance.now();
const db = await openDatabase({ dir });
const openMs = performance.now() - tOpen;
const rssAfterOpen = statusMb('VmRSS');
const phases: Record<string, number> = {};
/** RSS when each phase starts: shows which phase the peak belongs to. */
const rssAtPhase: Record<string, number> = {};
let phase = '';
let phaseStart = performance.now();
const profiler = await startProfiler(process.env.IMPORT_BENCH_PROFILE);
// CPU time and GC pauses next to wall time: on a shared host the wall time of identical runs varies by
// a third, CPU time much less, so A/B comparisons of a change read these first.
let gcMs = 0;
const gcObserver = new PerformanceObserver((list) => {
	for (const e of list.getEntries()) gcMs += e.duration;
});
gcObserver.observe({ entryTypes: ['gc'] });
/**
 * IMPORT_BENCH_READS=<response id>:<enterprise id> (read_during_import): while the import runs, a
 * scorecard and the analyst dashboard are read every 20 ms from the same process and database,
 * as requests to the same instance would be; their latencies are reported per import phase.
 */
const reads: Array<{ phase: string; ms: number }> = [];
let importing = true;
async function readProbe(spec: string): Promise<void> {
	const [responseId, enterpriseId] = spec.split(':');
	const user = {
		id: 'probe',
		email: 'p@x.vn',
		name: 'P',
		role: 'enterprise' as const,
		enterpriseId,
		locale: 'vi' as const
	};
	while (importing) {
		const t = performance.now();
		const ctx = await responseForEnterprise(db, user, responseId);
		if (!ctx || !(await buildScorecard(db, ctx))) throw new Error('the probe scorecard is missing');
		await analystDashboard(db, { sector: 'mechanical' }, rightsOf({ role: 'analyst' }));
		reads.push({ phase, ms: performance.now() - t });
		await new Promise((r) => setTimeout(r, 20));
	}
}
const probe = process.env.IMPORT_BENCH_READS ? readProbe(process.env.IMPORT_BENCH_READS) : null;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await importResponses(db, campaignId, {
	file,
	numberFormat: 'dot-decimal',
	onProgress: (p) => {
		if (p.phase !== phase) {
			rssAtPhase[p.phase] = statusMb('VmRSS');
			const t = performance.now();
			if (phase) phases[phase] = (phases[phase] ?? 0) + (t - phaseStart);
			phase = p.phase;
			phaseStart = t;
		}
	}
});
const ms = performance.now() - t0;
importing = false;
await probe;
const cpu = process.cpuUsage(cpu0);
gcObserver.disconnect();
phases[phase] = (phases[phase] ?? 0) + (performance.now() - phaseStart);
await profiler?.stop();
const mem = process.memoryUsage();
await db.close();
console.log(
	JSON.stringify({
		status: result.status,
		counts: result.counts,
		message: result.problems[0]?.message.en ?? result.message?.en ?? null,
		ms,
		cpuMs: (cpu.user + cpu.system) / 1000,
		gcMs,
		openMs,
		phases,
		peakRssMb: statusMb('VmHWM'),
		rssAfterOpenMb: rssAfterOpen,
		rssAtPhase,
		rssAtEndMb: statusMb('VmRSS'),
		heapUsedMb: Math.round(mem.heapUsed / 1048576),
		reads,
		externalMb: Math.round(mem.external / 1048576)
	})
);
