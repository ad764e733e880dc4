/**
 * V8 heap tuning applied once at process start (tuneHeap), by the server (startup.ts) and the CLI
 * (src/cli/techcap.ts).
 *
 * Growth: how far V8 lets the heap grow past what the last full collection found alive. TechCap processes
 * hold a large long-lived set (the embedded engine's cache: 100,000 enterprises, responses and
 * scores of a sector) and make garbage fast (an import, a release build); with V8's default the
 * heap grows to 2–4× the live set before collecting, which was most of a 100k-row import's
 * ~700 MB peak. Capping the growth makes full collections (mostly concurrent) come sooner.
 *
 * TECHCAP_HEAP_GROWTH_PERCENT overrides it; 0 keeps V8's own policy.
 *
 * Pretenuring: V8 watches allocation sites and, when most objects of a site survive a scavenge,
 * allocates that site's objects straight in the old generation from then on. In TechCap the sites
 * that build documents and rows see long-lived objects at first (the cache filling up, a batch
 * waiting to be staged) and short-lived ones for the rest of a long job, so the decision turned
 * garbage into old-generation garbage: a 100k-row import promoted ~350 MB and ran 23 full
 * collections with it, ~150 MB and 8–10 without it; interleaved A/B of the import, 3 pairs: wall
 * −6 %, CPU −11 %, peak RSS −20 MB. Off by default; TECHCAP_V8_PRETENURING=on keeps V8's default.
 */
import { setFlagsFromString } from 'node:v8';

export const DEFAULT_HEAP_GROWTH_PERCENT = 25;

/** The growth to use, from the environment; throws on a value that is not a whole percentage. */
export function heapGrowthPercent(env: Record<string, string | undefined> = process.env): number {
	const raw = env.TECHCAP_HEAP_GROWTH_PERCENT?.trim();
	if (raw === undefined || raw === '') return DEFAULT_HEAP_GROWTH_PERCENT;
	const pct = Number(raw);
	if (!/^\d+$/.test(raw) || pct > 1000)
		throw new Error(
			`TECHCAP_HEAP_GROWTH_PERCENT must be a whole number from 0 to 1000 (0: V8's default), not "${raw}"`
		);
	return pct;
}

/** Whether V8's allocation-site pretenuring stays on, from the environment; throws on a bad value. */
export function pretenuring(env: Record<string, string | undefined> = process.env): boolean {
	const raw = env.TECHCAP_V8_PRETENURING?.trim().toLowerCase();
	if (raw === undefined || raw === '' || raw === 'off') return false;
	if (raw === 'on') return true;
	throw new Error(`TECHCAP_V8_PRETENURING must be "on" or "off", not "${env.TECHCAP_V8_PRETENURING}"`);
}

export interface HeapTuning {
	/** 0 when left to V8. */
	growthPercent: number;
	pretenuring: boolean;
}

let applied: HeapTuning | null = null;

/** Applies heapGrowthPercent() and pretenuring() to this process (once) and says what was applied. */
export function tuneHeap(env: Record<string, string | undefined> = process.env): HeapTuning {
	if (applied) return applied;
	const tuning = { growthPercent: heapGrowthPercent(env), pretenuring: pretenuring(env) };
	if (tuning.growthPercent > 0) setFlagsFromString(`--heap-growing-percent=${tuning.growthPercent}`);
	if (!tuning.pretenuring) setFlagsFromString('--no-allocation-site-pretenuring');
	applied = tuning;
	return tuning;
}
