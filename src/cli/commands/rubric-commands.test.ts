import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseGroups } from './classify';

const run = promisify(execFile);
async function techcap(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await run(
			process.execPath,
			['--import', 'tsx', 'src/cli/techcap.ts', ...args],
			{ cwd: process.cwd(), env: { ...process.env, TECHCAP_SURVEYS_DIR: '' } }
		);
		return { code: 0, stdout, stderr };
	} catch (e) {
		const err = e as { code: number; stdout: string; stderr: string };
		return { code: err.code, stdout: err.stdout, stderr: err.stderr };
	}
}

// Each case spawns node + tsx (a few seconds each on a busy 2-core machine).
describe('techcap lint / score / classify / generate', { timeout: 90_000 }, () => {
	it('lint passes on every shipped survey version', async () => {
		const r = await techcap('lint');
		expect(r.stdout).toBe('');
		expect(r.stderr).toContain('6 survey version(s) checked, no problems');
		expect(r.code).toBe(0);
	});

	it('lint exits non-zero with file: path: message lines', async () => {
		const r = await techcap('lint', 'tests/fixtures/rubrics/band-gap.json', 'surveys/food/2025.1');
		expect(r.code).toBe(1);
		expect(r.stdout.trim().split('\n')).toEqual([
			'tests/fixtures/rubrics/band-gap.json: $.criteria[0].mapping.bands[1].from: bands leave a gap: values from 3 to 4 are not covered'
		]);
	});

	it('lint --lang vi says each problem in Vietnamese, keeping file and JSON path', async () => {
		const r = await techcap('lint', '--lang', 'vi', 'tests/fixtures/rubrics/band-gap.json');
		expect(r.code).toBe(1);
		expect(r.stdout.trim().split('\n')).toEqual([
			'tests/fixtures/rubrics/band-gap.json: $.criteria[0].mapping.bands[1].from: Các khoảng điểm bị hở: giá trị từ 3 đến 4 không thuộc khoảng nào.'
		]);
		const bad = await techcap('lint', '--lang', 'fr', 'tests/fixtures/rubrics/band-gap.json');
		expect(bad.code).toBe(2);
	});

	it('generate prints JSON lines that score prints as JSON, deterministically', async () => {
		const g = await techcap('generate', '--survey', 'textiles/2025.1', '--count', '3', '--seed', '5');
		expect(g.code).toBe(0);
		const lines = g.stdout.trim().split('\n');
		expect(lines).toHaveLength(3);
		const first = JSON.parse(lines[0]) as { profile: { taxCode: string }; answers: Record<string, unknown> };
		expect(first.profile.taxCode).toMatch(/^\d{10}$/);
		expect(
			(await techcap('generate', '--survey', 'textiles/2025.1', '--count', '3', '--seed', '5')).stdout
		).toBe(g.stdout);

		const file = join(mkdtempSync(join(tmpdir(), 'techcap-')), 'r.json');
		writeFileSync(file, lines[0]);
		const s = await techcap('score', '--survey', 'textiles/2025.1', '--response', file);
		expect(s.code).toBe(0);
		const result = JSON.parse(s.stdout) as { rubricVersion: string; criteria: unknown[]; level: string };
		expect(result.rubricVersion).toBe('textiles/2025.1');
		expect(result.criteria).toHaveLength(26);
		const e = await techcap('score', '--survey', 'textiles/2025.1', '--response', file, '--explain');
		expect(e.stdout).toMatch(/^T1 +T +\d+\.\d\d \/ +5/m);
		expect(e.stdout).toContain(`level    ${result.level}`);
	});

	it('classify prints {total, K, level} and rejects bad groups with exit 2', async () => {
		const r = await techcap('classify', '--groups', 'T=18,E=12,O=11.4,R=10.2,I=8.4');
		expect(JSON.parse(r.stdout)).toEqual({ total: 60, K: 0.6, level: 'trung-binh-tien-tien' });
		const bad = await techcap('classify', '--groups', 'T=18,E=12,O=11.4,R=10.2');
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('--groups: missing I');
		const range = await techcap('classify', '--groups', 'T=40,E=12,O=11,R=10,I=8', '--survey', 'food/2025.1');
		expect(range.code).toBe(2);
		expect(range.stderr).toContain('group T must be a number between 0 and 30, got 40');
	});

	it.each(['0x10', '0b1', '0o7', 'Infinity', '1e999', '1_0'])(
		'classify accepts decimal numbers only (T=%s is refused)',
		(t) => {
			expect(() => parseGroups(`T=${t},E=12,O=11,R=10,I=8`)).toThrow(
				`--groups: T must be a decimal number such as 12.5, got '${t}'`
			);
		}
	);

	it('score refuses a response the questionnaire would refuse, naming the question', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'techcap-')), 'r.json');
		writeFileSync(file, JSON.stringify({ t1_equipment_age: -5, t2_equipment_origin: 'china' }));
		const r = await techcap('score', '--survey', 'mechanical/2025.1', '--response', file);
		expect(r.code).toBe(1);
		expect(r.stdout).toBe('');
		expect(r.stderr).toContain(
			'not scored: question "t1_equipment_age": -5 is outside the allowed range 0–60'
		);
	});

	it("validate prints the server's verdict: exit 0 valid, 1 invalid, 2 usage", async () => {
		const dir = mkdtempSync(join(tmpdir(), 'techcap-'));
		const q = join(dir, 'q.json');
		writeFileSync(
			q,
			JSON.stringify({
				elements: [
					{ type: 'text', name: 'founded', inputType: 'date', isRequired: true },
					{ type: 'text', name: 'staff', inputType: 'number', min: 0, max: 100 }
				]
			})
		);
		const ok = join(dir, 'ok.json');
		writeFileSync(ok, JSON.stringify({ founded: '2020-02-29', staff: 12 }));
		const bad = join(dir, 'bad.json');
		writeFileSync(bad, JSON.stringify({ founded: '2021-02-29', staff: 120 }));
		const good = await techcap('validate', '--questionnaire', q, '--response', ok);
		expect(good.code).toBe(0);
		expect(JSON.parse(good.stdout)).toEqual({ valid: true, errors: [] });
		const refused = await techcap('validate', '--questionnaire', q, '--response', bad);
		expect(refused.code).toBe(1);
		const out = JSON.parse(refused.stdout) as {
			valid: boolean;
			errors: Array<{ question: string; code: string }>;
		};
		expect(out.valid).toBe(false);
		expect(out.errors.map((e) => `${e.question}:${e.code}`)).toEqual(['founded:wrong-type', 'staff:max']);
		const usage = await techcap('validate', '--questionnaire', q);
		expect(usage.code).toBe(2);
	});

	it('score reports an unknown survey clearly', async () => {
		const r = await techcap('score', '--survey', 'steel/2025.1', '--response', 'x.json');
		expect(r.code).toBe(1);
		expect(r.stderr).toContain("unknown survey 'steel/2025.1'");
	});
});
