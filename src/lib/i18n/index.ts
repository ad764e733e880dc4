/**
 * UI strings in Vietnamese (default) and English. The English dictionary is typed against the
 * Vietnamese one, so a key missing in either language is a compile error (svelte-check in CI),
 * and `t()` falls back to Vietnamese only for keys added at run time (never for shipped ones).
 * Kept in-house rather than Paraglide: two locales, server-rendered, and the same helper is used
 * by routes, e-mails and the CLI without a compile step.
 */
import { vi } from './vi';
import { en } from './en';

export type Locale = 'vi' | 'en';
export const DEFAULT_LOCALE: Locale = 'vi';
export const LOCALE_COOKIE = 'techcap_locale';

export type MessageKey = keyof typeof vi;
export type Bilingual = { vi: string; en: string };

const dictionaries: Record<Locale, Record<MessageKey, string>> = { vi, en };

export function isLocale(x: unknown): x is Locale {
	return x === 'vi' || x === 'en';
}

/** Translate `key`, replacing `{name}` placeholders with `params`. */
export function t(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
	const template = dictionaries[locale][key] ?? dictionaries.vi[key] ?? key;
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Pick one language from a `{vi, en}` pair (messages from domain modules). */
export function pick(locale: Locale, text: Bilingual | string): string {
	return typeof text === 'string' ? text : text[locale];
}

/** A translator bound to one locale, for components: `const tr = translator(data.locale)`. */
export function translator(locale: Locale) {
	return (key: MessageKey, params?: Record<string, string | number>) => t(locale, key, params);
}
