import { existsSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { StagingFile } from './staging';

interface Item {
	row: number;
	data: Record<string, unknown>;
}

const item = (row: number): Item => ({
	row,
	data: { q1: `tiếng Việt ${row}`, q2: [row, row + 0.5], nested: { when: new Date(row * 1000) } }
});

describe('StagingFile', () => {
	it('gives back every staged item in order, in batches of the asked size', async () => {
		const s = new StagingFile<Item>(`test-${process.pid}-a`);
		for (let i = 0; i < 1234; i++) await s.push(item(i));
		expect(s.count).toBe(1234);
		const sizes: number[] = [];
		const rows: Item[] = [];
		for await (const b of s.batches(300)) {
			sizes.push(b.length);
			rows.push(...b);
		}
		expect(sizes).toEqual([300, 300, 300, 300, 34]);
		expect(rows).toEqual(Array.from({ length: 1234 }, (_, i) => item(i)));
		await s.remove();
		expect(existsSync(s.path)).toBe(false);
	});

	it('an empty staging file yields nothing', async () => {
		const s = new StagingFile<Item>(`test-${process.pid}-b`);
		const got: Item[][] = [];
		for await (const b of s.batches(10)) got.push(b);
		expect(got).toEqual([]);
		await s.remove();
	});

	it('a truncated file is an error, not a silently shorter import', async () => {
		const s = new StagingFile<Item>(`test-${process.pid}-c`);
		for (let i = 0; i < 700; i++) await s.push(item(i));
		await s.close();
		await truncate(s.path, 2000);
		const read = async () => {
			for await (const b of s.batches(100)) void b;
		};
		await expect(read()).rejects.toThrow(/truncated/);
		await s.remove();
	});
});
