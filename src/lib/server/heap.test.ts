import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_GROWTH_PERCENT, heapGrowthPercent, pretenuring } from './heap';

describe('heapGrowthPercent', () => {
	it('defaults, accepts whole percentages and 0, refuses anything else by name', () => {
		expect(heapGrowthPercent({})).toBe(DEFAULT_HEAP_GROWTH_PERCENT);
		expect(heapGrowthPercent({ TECHCAP_HEAP_GROWTH_PERCENT: ' 40 ' })).toBe(40);
		expect(heapGrowthPercent({ TECHCAP_HEAP_GROWTH_PERCENT: '0' })).toBe(0);
		for (const bad of ['-5', '2.5', 'lots', '1e3', '5000'])
			expect(() => heapGrowthPercent({ TECHCAP_HEAP_GROWTH_PERCENT: bad })).toThrow(
				/TECHCAP_HEAP_GROWTH_PERCENT must be a whole number/
			);
	});

	it('keeps the heap closer to the live set than V8 does by default', () => {
		// A growing live set (a cache filling up) plus objects that live long enough to be promoted
		// and then die, as an import's batches do: the peak committed heap must be clearly lower.
		const script = `
			const v8 = require('node:v8');
			if (process.argv[1] !== '0') v8.setFlagsFromString('--heap-growing-percent=' + process.argv[1]);
			const live = []; const ring = new Array(200000); let peak = 0;
			for (let i = 0; i < 1500000; i++) {
				if (i % 5 === 0) live.push({ id: 'x' + i, keys: [i, 'k' + i] });
				ring[i % ring.length] = { i, s: 'y' + i, a: [i, i + 1] };
				if (i % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
			}
			console.log(Math.round(peak / 1048576));`;
		const peak = (pct: string) => {
			const r = spawnSync(process.execPath, ['-e', script, pct], { encoding: 'utf8' });
			expect(r.status, r.stderr).toBe(0);
			return Number(r.stdout.trim());
		};
		const tuned = peak(String(DEFAULT_HEAP_GROWTH_PERCENT));
		const untuned = peak('0');
		// Measured here: ~134 MB against ~220 MB.
		expect(tuned).toBeLessThan(untuned * 0.8);
	}, 60_000);
});

describe('pretenuring', () => {
	it('is off unless TECHCAP_V8_PRETENURING=on, and refuses other values by name', () => {
		expect(pretenuring({})).toBe(false);
		expect(pretenuring({ TECHCAP_V8_PRETENURING: '' })).toBe(false);
		expect(pretenuring({ TECHCAP_V8_PRETENURING: ' OFF ' })).toBe(false);
		expect(pretenuring({ TECHCAP_V8_PRETENURING: 'on' })).toBe(true);
		for (const bad of ['1', 'yes', 'true', 'of'])
			expect(() => pretenuring({ TECHCAP_V8_PRETENURING: bad })).toThrow(
				/TECHCAP_V8_PRETENURING must be "on" or "off"/
			);
	});
});
