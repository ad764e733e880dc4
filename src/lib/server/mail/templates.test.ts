import { describe, expect, it } from 'vitest';
import { escapeHtml, renderMail } from './templates';
import { MailInputError, type InvitationParams } from './types';

const INVITE: InvitationParams = {
	enterpriseName: 'Cơ khí <script>alert(1)</script> & Co "Hà Nội"',
	campaignName: 'Cơ khí 2026',
	sector: 'cơ khí chế tạo',
	closingDate: '2026-09-30T16:59:00Z', // 23:59 on 30 Sep in Vietnam
	link: 'https://techcap.example.vn/invite/abc?x=1&y=2'
};

describe('mail templates', () => {
	it('renders the invitation in Vietnamese and English with the link in both HTML and text', () => {
		const vi = renderMail('invitation', 'vi', INVITE);
		const en = renderMail('invitation', 'en', INVITE);
		expect(vi.subject).toBe('Thư mời tham gia khảo sát trình độ công nghệ: Cơ khí 2026');
		expect(en.subject).toBe('Invitation: technology capability survey – Cơ khí 2026');
		expect(vi.text).toContain('Hạn hoàn thành: 30/09/2026');
		expect(en.text).toContain('Closing date: 30 September 2026');
		expect(vi.text).toContain('Sở Khoa học và Công nghệ trân trọng mời');
		expect(en.text).toContain('Department of Science and Technology invites your enterprise');
		for (const r of [vi, en]) {
			expect(r.text).toContain('https://techcap.example.vn/invite/abc?x=1&y=2');
			expect(r.html).toContain('href="https://techcap.example.vn/invite/abc?x=1&amp;y=2"');
		}
		expect(vi.html).toContain('<html lang="vi">');
		expect(en.html).toContain('<html lang="en">');
	});

	it('escapes every interpolated value in the HTML and keeps the text version literal', () => {
		const r = renderMail('invitation', 'en', { ...INVITE, department: 'Sở <b>KH&CN</b>' });
		expect(r.html).not.toContain('<script>');
		expect(r.html).not.toContain('<b>KH');
		expect(r.html).toContain('Cơ khí &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co &quot;Hà Nội&quot;');
		expect(r.html).toContain('Sở &lt;b&gt;KH&amp;CN&lt;/b&gt;');
		expect(r.text).toContain('Dear Cơ khí <script>alert(1)</script> & Co "Hà Nội",');
		// No external resources: no images, stylesheets or fonts to fetch.
		expect(r.html).not.toMatch(/<img|<link|@import|url\(|src=/i);
		expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
	});

	it('words the reminder by the days left, in both languages', () => {
		const base = {
			enterpriseName: 'ACME',
			campaignName: 'CK 2026',
			closingDate: '2026-09-30',
			link: 'https://x.vn/s/1'
		};
		expect(renderMail('reminder', 'vi', { ...base, daysLeft: 7 }).subject).toBe(
			'Nhắc nhở: còn 7 ngày để hoàn thành khảo sát CK 2026'
		);
		expect(renderMail('reminder', 'en', { ...base, daysLeft: 7 }).subject).toBe(
			'Reminder: 7 days left to complete the CK 2026 survey'
		);
		expect(renderMail('reminder', 'en', { ...base, daysLeft: 1 }).subject).toContain('1 day left');
		expect(renderMail('reminder', 'en', { ...base, daysLeft: 0 }).subject).toBe(
			'Reminder: the CK 2026 survey closes today'
		);
		const vi0 = renderMail('reminder', 'vi', { ...base, daysLeft: 0 });
		expect(vi0.subject).toBe('Nhắc nhở: hôm nay là hạn cuối khảo sát CK 2026');
		expect(vi0.text).toContain('https://x.vn/s/1');
		expect(vi0.html).toContain('href="https://x.vn/s/1"');
	});

	it('renders the thank-you with the scorecard link', () => {
		const p = { enterpriseName: 'ACME', campaignName: 'CK 2026', scorecardLink: 'https://x.vn/scorecard/9' };
		const vi = renderMail('thanks', 'vi', p);
		const en = renderMail('thanks', 'en', p);
		expect(vi.subject).toBe('Cảm ơn Quý doanh nghiệp đã hoàn thành khảo sát CK 2026');
		expect(en.subject).toBe('Thank you – your technology scorecard for CK 2026');
		for (const r of [vi, en]) {
			expect(r.text).toContain('https://x.vn/scorecard/9');
			expect(r.html).toContain('href="https://x.vn/scorecard/9"');
		}
	});

	it('rejects bad parameters naming the field', () => {
		const err = (f: () => unknown) => {
			try {
				f();
			} catch (e) {
				expect(e).toBeInstanceOf(MailInputError);
				return (e as MailInputError).field + ' ' + (e as MailInputError).text.en;
			}
			throw new Error('expected a MailInputError');
		};
		expect(err(() => renderMail('invitation', 'en', { ...INVITE, link: 'javascript:alert(1)' }))).toBe(
			"params.link must use http or https (got 'javascript:')"
		);
		expect(err(() => renderMail('invitation', 'en', { ...INVITE, link: '/invite/abc' }))).toContain(
			'params.link must be an absolute http(s) URL'
		);
		expect(err(() => renderMail('invitation', 'en', { ...INVITE, enterpriseName: '  ' }))).toBe(
			'params.enterpriseName must not be empty'
		);
		expect(err(() => renderMail('invitation', 'en', { ...INVITE, closingDate: 'soon' }))).toContain(
			'params.closingDate must be a valid date'
		);
		expect(
			err(() =>
				renderMail('reminder', 'en', {
					enterpriseName: 'A',
					campaignName: 'B',
					closingDate: '2026-01-01',
					daysLeft: 2.5,
					link: 'https://x.vn'
				})
			)
		).toBe('params.daysLeft must be a whole number from 0 to 366 (got 2.5)');
		expect(err(() => renderMail('invitation', 'fr', INVITE))).toBe("locale must be vi or en (got 'fr')");
		expect(err(() => renderMail('welcome', 'vi', INVITE))).toContain(
			'template must be one of invitation, reminder, thanks'
		);
	});

	it('keeps line breaks out of the subject', () => {
		const r = renderMail('invitation', 'en', { ...INVITE, campaignName: 'CK\r\nBcc: evil@x.vn' });
		expect(r.subject).not.toMatch(/[\r\n]/);
	});
});
