/**
 * The central action check must read the action SvelteKit will run, and the row-level
 * rule must say the same thing everywhere it is asked.
 */
import { describe, expect, test } from 'vitest';
import {
	ACCESS_RULES,
	ROW_ENTITLEMENTS,
	decide,
	formActionOf,
	rowAccessOf,
	seesAllRows,
	seesIdentities,
	seesUnpublished
} from './authz';

/** SvelteKit 2's own derivation (`call_action` in @sveltejs/kit/src/runtime/server/page/actions.js). */
function kitAction(search: string): string {
	const url = new URL(`http://x.invalid/analyst${search}`);
	for (const param of url.searchParams) if (param[0].startsWith('/')) return param[0].slice(1);
	return 'default';
}

const SPELLINGS = [
	'',
	'?',
	'?/publish',
	'?x=1&/publish',
	'?%2Fpublish',
	'?%2fpublish',
	'?/publish=1',
	'?x&/publish&/other',
	'?a=%2Fpublish',
	'?&&/publish',
	'?x=1;/publish',
	'?+/publish',
	'?%20/publish',
	'?/pub%6Cish',
	'?/',
	'?//publish',
	'?/constructor',
	'?/__proto__',
	'?/publish#frag'
];

describe('formActionOf', () => {
	test.each(SPELLINGS)('%s: the action SvelteKit runs', (search) => {
		const q = search.split('#')[0];
		expect(formActionOf('POST', q)).toBe(kitAction(q));
	});

	test('only POST runs actions', () => {
		expect(formActionOf('GET', '?/publish')).toBeUndefined();
		expect(formActionOf('PUT', '?/publish')).toBeUndefined();
	});

	test('every spelling of a form action is refused to policymakers (building a draft release: analysts and admins)', () => {
		for (const search of ['?/draft', '?x=1&/draft', '?%2Fdraft', '?%2fdraft', '?/draft=1', '?/dr%61ft'])
			expect(decide('/analyst', 'policymaker', formActionOf('POST', search)), search).toBe('forbidden');
		expect(decide('/analyst', 'admin', formActionOf('POST', '?x=1&/draft'))).toBe('allow');
		expect(decide('/analyst', 'analyst', formActionOf('POST', '?x=1&/draft'))).toBe('allow');
	});

	test('a release under review is for analysts and admins only, whatever the action spelling', () => {
		const review = '/analyst/releases/[id]/review';
		for (const role of ['policymaker', 'enterprise'] as const)
			for (const search of [
				'',
				'?/publish',
				'?%2Fpublish',
				'?/pub%6Cish',
				'?/return',
				'?/submit',
				'?/discard'
			])
				expect(decide(review, role, formActionOf('POST', search)), `${role} ${search}`).toBe('forbidden');
		expect(decide(review, null)).toBe('login');
		for (const role of ['analyst', 'admin'] as const) expect(decide(review, role)).toBe('allow');
		expect(decide('/admin/releases', 'analyst')).toBe('forbidden');
		expect(decide('/admin/releases', 'admin')).toBe('allow');
	});

	test('analysts see tracking and close campaigns; reminders, declines, reopening and creation stay with admins', () => {
		const tracking = '/admin/campaigns/[id]/tracking';
		expect(decide(tracking, 'analyst')).toBe('allow');
		expect(decide(`${tracking}/late.csv`, 'analyst')).toBe('allow');
		expect(decide(tracking, 'analyst', 'close')).toBe('allow');
		for (const a of ['remind', 'settings', 'decline', 'reopen']) {
			expect(decide(tracking, 'analyst', a), a).toBe('forbidden');
			expect(decide(tracking, 'admin', a), a).toBe('allow');
		}
		for (const role of ['policymaker', 'enterprise'] as const)
			expect(decide(tracking, role)).toBe('forbidden');
		expect(decide('/admin/campaigns', 'analyst')).toBe('allow');
		expect(decide('/admin/campaigns', 'analyst', 'create')).toBe('forbidden');
		expect(decide('/admin/campaigns/[id]', 'analyst')).toBe('forbidden');
		expect(decide('/admin/campaigns/[id]/invite', 'analyst')).toBe('forbidden');
		expect(decide('/admin/users', 'analyst')).toBe('forbidden');
		expect(decide('/forbidden', null)).toBe('allow');
	});

	test('action names that are Object.prototype keys do not crash the check', () => {
		for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
			expect(decide('/analyst', 'analyst', name)).toBe('allow');
	});

	test('every narrowed action of every rule is refused under every spelling to the roles left out', () => {
		for (const rule of ACCESS_RULES)
			for (const [action, roles] of Object.entries(rule.actions ?? {}))
				for (const spelling of [`?/${action}`, `?x=1&/${action}`, `?%2F${action}`, `?y&%2F${action}=`])
					for (const role of ['enterprise', 'analyst', 'policymaker', 'admin'] as const) {
						const d = decide(rule.prefix, role, formActionOf('POST', spelling));
						if (!(
							rule.audience === 'authenticated' ||
							(Array.isArray(rule.audience) && rule.audience.includes(role))
						))
							continue;
						expect(d, `${role} ${rule.prefix}${spelling}`).toBe(roles.includes(role) ? 'allow' : 'forbidden');
					}
	});
});

describe('row-level entitlement', () => {
	test('one table, one function', () => {
		expect(rowAccessOf({ role: 'admin' })).toBe('identified');
		expect(rowAccessOf({ role: 'analyst', microdata: true })).toBe('pseudonymised');
		expect(rowAccessOf({ role: 'analyst' })).toBe('none');
		expect(rowAccessOf({ role: 'analyst', microdata: false })).toBe('none');
		expect(rowAccessOf({ role: 'policymaker', microdata: true })).toBe('targets');
		expect(rowAccessOf({ role: 'enterprise', microdata: true })).toBe('none');
		expect(rowAccessOf(null)).toBe('none');
		expect(ROW_ENTITLEMENTS.map((e) => e.access)).toEqual([
			'identified',
			'pseudonymised',
			'targets',
			'none',
			'none'
		]);
	});

	test('what each level includes', () => {
		expect(['identified', 'pseudonymised', 'targets', 'none'].map((a) => seesAllRows(a as never))).toEqual([
			true,
			true,
			false,
			false
		]);
		expect(['identified', 'pseudonymised', 'targets', 'none'].map((a) => seesIdentities(a as never))).toEqual(
			[true, false, true, false]
		);
		expect(
			['identified', 'pseudonymised', 'targets', 'none'].map((a) => seesUnpublished(a as never))
		).toEqual([true, true, false, false]);
	});
});
