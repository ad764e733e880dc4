import { describe, expect, it } from 'vitest';
import { landingAfterLogin } from './landing';
import { navFor } from './nav';

describe('landingAfterLogin', () => {
	it.each([
		['enterprise', '/enterprise'],
		['analyst', '/analyst'],
		['policymaker', '/policy'],
		['admin', '/admin/campaigns']
	])('%s lands on %s', (role, path) => {
		expect(landingAfterLogin(role, '/')).toBe(path);
		// Only pages the role's own menu offers.
		expect(navFor(role as 'admin').some((n) => n.href === path)).toBe(true);
	});

	it('a page that asked for the sign-in wins', () => {
		expect(landingAfterLogin('admin', '/analyst/imports?x=1')).toBe('/analyst/imports?x=1');
	});

	it('an unknown role goes home', () => {
		expect(landingAfterLogin('robot', '/')).toBe('/');
	});
});
