/**
 * How far V8 lets the heap grow past what the last full collection found alive. TechCap processes
 * hold a large long-lived set (the embedded engine's cache: 100,000 enterprises, responses and
 * scores of a sector) and make garbage fast (an import, a release build); with V8's default the
 * heap grows to 2–4× the live set before collecting, which was most of a 100k-row import's
 * ~700 MB peak. Capping the growth makes full collections (mostly concurrent) come sooner.
 *
 * Set once at process start by the server (startup.ts) and the CLI (src/cli/techcap.ts).
 * TECHCAP_HEAP_GROWTH_PERCENT overrides it; 0 keeps V8's own policy.
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

let applied: number | null = null;

/** Applies heapGrowthPercent() to this process (once); returns the percentage, 0 when left to V8. */
export function tuneHeapGrowth(env: Record<string, string | undefined> = process.env): number {
	if (applied !== null) return applied;
	applied = heapGrowthPercent(env);
	if (applied > 0) setFlagsFromString(`--heap-growing-percent=${applied}`);
	return applied;
}
