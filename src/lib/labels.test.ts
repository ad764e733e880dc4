import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ACTION_LABELS, auditActionLabel, languageLabel, mailTemplateLabel } from './labels';
import { MAIL_TEMPLATES } from './server/mail/types';

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((f) => {
		const p = join(dir, f);
		return statSync(p).isDirectory() ? files(p) : /\.ts$/.test(f) && !/\.test\.ts$/.test(f) ? [p] : [];
	});
}

describe('labels instead of internal codes', () => {
	test('every audit action the app records has a label in both languages', () => {
		const recorded = new Set<string>();
		for (const f of files(join(import.meta.dirname, '..')))
			for (const m of readFileSync(f, 'utf8').matchAll(
				/action: (?:[a-z]+ \? )?'([a-z]+\.[a-z.-]+)'(?: : '([a-z]+\.[a-z.-]+)')?/g
			))
				for (const a of [m[1], m[2]]) if (a) recorded.add(a);
		expect(recorded.size).toBeGreaterThan(20);
		for (const a of recorded) {
			expect(AUDIT_ACTION_LABELS[a]?.vi, a).toBeTruthy();
			expect(AUDIT_ACTION_LABELS[a]?.en, a).toBeTruthy();
		}
	});
	test('every mail template has a label; unknown codes show as themselves', () => {
		for (const t of MAIL_TEMPLATES) expect(mailTemplateLabel(t, 'vi')).not.toBe(t);
		expect(auditActionLabel('campaign.close', 'vi')).toBe('Đóng đợt khảo sát');
		expect(auditActionLabel('future.thing', 'en')).toBe('future.thing');
		expect(languageLabel('vi', 'en')).toBe('Vietnamese');
	});
});
