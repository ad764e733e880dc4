/**
 * The department's time zone: `TECHCAP_TIMEZONE` (or `TECHCAP_TIME_ZONE`), an IANA
 * name such as `Asia/Ho_Chi_Minh` (the default). An unknown name is reported once and the default
 * is used, so a typo never shifts every date silently.
 */
import { DEFAULT_TIME_ZONE, isTimeZone } from '$lib/time';

let warned = false;

export function departmentTimeZone(env: NodeJS.ProcessEnv = process.env): string {
	const configured = (env.TECHCAP_TIMEZONE ?? env.TECHCAP_TIME_ZONE ?? '').trim();
	if (!configured) return DEFAULT_TIME_ZONE;
	if (isTimeZone(configured)) return configured;
	if (!warned) {
		warned = true;
		console.error(
			`TechCap: TECHCAP_TIMEZONE='${configured}' is not a known time zone; using ${DEFAULT_TIME_ZONE}.`
		);
	}
	return DEFAULT_TIME_ZONE;
}
