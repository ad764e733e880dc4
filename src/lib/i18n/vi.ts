/**
 * Vietnamese UI strings: the reference dictionary. Each area of the app keeps its strings in
 * `areas/<area>.vi.ts` and `areas/<area>.en.ts` (English typed against Vietnamese), so parallel
 * work on different areas never edits the same file; this file only merges them.
 */
import { vi as core } from './areas/core.vi';

export const vi = {
	...core
} as const;
