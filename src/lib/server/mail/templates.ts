/**
 * Rendering: pure functions from (template, locale, params) to subject, HTML and plain text.
 * Every interpolated value is validated, then escaped for HTML (enterprise names are user data and
 * may contain markup). No external images, fonts or stylesheets: inline styles only, so the
 * message looks the same offline and leaks no tracking request.
 */
import { zonedParts } from '$lib/time';
import { departmentTimeZone } from '../timezone';
import { MAIL_TEXTS, type MailContent } from './texts';
import {
	MAIL_LOCALES,
	MAIL_TEMPLATES,
	MailInputError,
	type InvitationParams,
	type MailLocale,
	type MailParams,
	type MailTemplate,
	type RenderedMail,
	type ReminderParams,
	type ThanksParams
} from './types';

const HTML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

export function escapeHtml(value: string): string {
	return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

export function isMailLocale(v: unknown): v is MailLocale {
	return typeof v === 'string' && (MAIL_LOCALES as readonly string[]).includes(v);
}

export function isMailTemplate(v: unknown): v is MailTemplate {
	return typeof v === 'string' && (MAIL_TEMPLATES as readonly string[]).includes(v);
}

type Params = Record<string, unknown>;

function bad(field: string, vi: string, en: string): never {
	throw new MailInputError(field, { vi, en });
}

/** A required one-line text: trimmed, not empty, no line breaks (they would end up in the subject). */
function text(p: Params, key: string, max = 300): string {
	const v = p[key];
	const field = `params.${key}`;
	if (typeof v !== 'string') bad(field, 'phải là chuỗi ký tự', 'must be a string');
	const t = v.replace(/\s+/g, ' ').trim();
	if (!t) bad(field, 'không được để trống', 'must not be empty');
	if (t.length > max) bad(field, `dài quá ${max} ký tự`, `is longer than ${max} characters`);
	return t;
}

function optionalText(p: Params, key: string): string | undefined {
	return p[key] === undefined || p[key] === null || p[key] === '' ? undefined : text(p, key);
}

/** An absolute http(s) URL: anything else (javascript:, relative paths) would be broken or dangerous. */
function link(p: Params, key: string): string {
	const raw = text(p, key, 2000);
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		bad(
			`params.${key}`,
			`phải là đường dẫn tuyệt đối http(s) (nhận được '${raw}')`,
			`must be an absolute http(s) URL (got '${raw}')`
		);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		bad(
			`params.${key}`,
			`phải dùng http hoặc https (nhận được '${url.protocol}')`,
			`must use http or https (got '${url.protocol}')`
		);
	return url.href;
}

function date(p: Params, key: string, locale: MailLocale): string {
	const v = p[key];
	const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null;
	if (!d || Number.isNaN(d.getTime()))
		bad(
			`params.${key}`,
			'phải là ngày hợp lệ (Date hoặc chuỗi ISO 8601)',
			'must be a valid date (a Date or an ISO 8601 string)'
		);
	// The department's calendar day, as pages show it. Date-only strings parse as UTC
	// midnight, which is the same day in zones east of UTC such as Asia/Ho_Chi_Minh.
	const local = zonedParts(d, departmentTimeZone());
	return MAIL_TEXTS[locale].formatDate(local.day, local.month, local.year);
}

function wholeDays(p: Params, key: string): number {
	const v = p[key];
	if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 366)
		bad(
			`params.${key}`,
			`phải là số nguyên từ 0 đến 366 (nhận được ${JSON.stringify(v)})`,
			`must be a whole number from 0 to 366 (got ${JSON.stringify(v)})`
		);
	return v;
}

function content(template: MailTemplate, locale: MailLocale, params: Params): MailContent {
	const t = MAIL_TEXTS[locale];
	const department = optionalText(params, 'department') ?? t.defaultDepartment;
	switch (template) {
		case 'invitation':
			return t.invitation({
				enterpriseName: text(params, 'enterpriseName'),
				campaignName: text(params, 'campaignName'),
				sector: text(params, 'sector'),
				closingDate: date(params, 'closingDate', locale),
				link: link(params, 'link'),
				department
			});
		case 'reminder':
			return t.reminder({
				enterpriseName: text(params, 'enterpriseName'),
				campaignName: text(params, 'campaignName'),
				closingDate: date(params, 'closingDate', locale),
				daysLeft: wholeDays(params, 'daysLeft'),
				link: link(params, 'link'),
				department
			});
		case 'password-reset':
			return t.passwordReset({
				name: text(params, 'name'),
				link: link(params, 'link'),
				minutes: wholeDays(params, 'minutes'),
				department
			});
		case 'reopened':
			return t.reopened({
				enterpriseName: text(params, 'enterpriseName'),
				campaignName: text(params, 'campaignName'),
				reason: text(params, 'reason', 500),
				closingDate: date(params, 'closingDate', locale),
				link: link(params, 'link'),
				department
			});
		case 'account-invitation':
			return t.accountInvitation({
				roleName: text(params, 'roleName'),
				enterpriseName: optionalText(params, 'enterpriseName') ?? null,
				link: link(params, 'link'),
				expiresAt: date(params, 'expiresAt', locale),
				department
			});
		case 'thanks':
			return t.thanks({
				enterpriseName: text(params, 'enterpriseName'),
				campaignName: text(params, 'campaignName'),
				scorecardLink: link(params, 'scorecardLink'),
				department
			});
	}
}

const FONT = 'Arial, Helvetica, sans-serif';
const BRAND = '#0b5394';

function toHtml(c: MailContent, locale: MailLocale): string {
	const e = escapeHtml;
	const para = (s: string) => `<p style="margin:0 0 14px 0;">${e(s)}</p>`;
	const facts = c.facts
		.map(
			([label, value]) =>
				`<tr><td style="padding:4px 12px 4px 0;color:#52606d;white-space:nowrap;vertical-align:top;">${e(label)}</td>` +
				`<td style="padding:4px 0;font-weight:bold;">${e(value)}</td></tr>`
		)
		.join('');
	const url = e(c.action.url);
	return [
		'<!DOCTYPE html>',
		`<html lang="${locale}">`,
		'<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${e(c.subject)}</title></head>`,
		'<body style="margin:0;padding:0;background:#f4f5f7;">',
		`<div style="display:none;max-height:0;overflow:hidden;">${e(c.preheader)}</div>`,
		'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;"><tr><td align="center" style="padding:24px 12px;">',
		`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;font-family:${FONT};color:#1f2933;font-size:15px;line-height:1.5;">`,
		`<tr><td style="padding:18px 28px;border-bottom:3px solid ${BRAND};font-weight:bold;color:${BRAND};">${e(c.sender)}</td></tr>`,
		'<tr><td style="padding:24px 28px;">',
		para(c.greeting),
		...c.paragraphs.map(para),
		`<table role="presentation" cellpadding="0" cellspacing="0" style="margin:4px 0 18px 0;font-size:14px;">${facts}</table>`,
		`<p style="margin:24px 0;text-align:center;"><a href="${url}" style="display:inline-block;background:${BRAND};color:#ffffff;padding:12px 24px;border-radius:4px;text-decoration:none;font-weight:bold;">${e(c.action.label)}</a></p>`,
		`<p style="margin:0 0 14px 0;font-size:13px;color:#52606d;">${e(c.linkHint)}<br><a href="${url}" style="color:${BRAND};word-break:break-all;">${url}</a></p>`,
		...c.after.map(para),
		`<p style="margin:18px 0 0 0;">${e(c.signoff)}<br>${e(c.sender)}</p>`,
		'</td></tr>',
		`<tr><td style="padding:14px 28px;border-top:1px solid #e4e7eb;font-size:12px;color:#7b8794;">${e(c.footer)}</td></tr>`,
		'</table></td></tr></table>',
		'</body></html>'
	].join('\n');
}

function toText(c: MailContent): string {
	const width = Math.max(...c.facts.map(([label]) => label.length));
	return [
		c.greeting,
		'',
		...c.paragraphs.flatMap((p) => [p, '']),
		...c.facts.map(([label, value]) => `${(label + ':').padEnd(width + 2)}${value}`),
		'',
		`${c.action.label}:`,
		c.action.url,
		'',
		...c.after.flatMap((p) => [p, '']),
		c.signoff,
		c.sender,
		'',
		'-- ',
		c.footer,
		''
	].join('\n');
}

/**
 * Renders one message. Throws MailInputError naming the parameter at fault (e.g. `params.link`)
 * when a value is missing or invalid.
 */
export function renderMail<K extends MailTemplate>(
	template: K,
	locale: MailLocale,
	params: MailParams[K]
): RenderedMail;
export function renderMail(template: string, locale: string, params: unknown): RenderedMail;
export function renderMail(template: string, locale: string, params: unknown): RenderedMail {
	if (!isMailTemplate(template))
		bad(
			'template',
			`phải là một trong ${MAIL_TEMPLATES.join(', ')} (nhận được '${template}')`,
			`must be one of ${MAIL_TEMPLATES.join(', ')} (got '${template}')`
		);
	if (!isMailLocale(locale))
		bad('locale', `phải là vi hoặc en (nhận được '${locale}')`, `must be vi or en (got '${locale}')`);
	if (params === null || typeof params !== 'object' || Array.isArray(params))
		bad('params', 'phải là một đối tượng', 'must be an object');
	const c = content(template, locale, params as Params);
	return { subject: c.subject, html: toHtml(c, locale), text: toText(c) };
}

export const renderInvitation = (locale: MailLocale, p: InvitationParams): RenderedMail =>
	renderMail('invitation', locale, p);
export const renderReminder = (locale: MailLocale, p: ReminderParams): RenderedMail =>
	renderMail('reminder', locale, p);
export const renderThanks = (locale: MailLocale, p: ThanksParams): RenderedMail =>
	renderMail('thanks', locale, p);
