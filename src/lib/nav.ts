/** Navigation entries by role: only pages the role may open (see $lib/server/authz.ts). */
import type { MessageKey } from './i18n';

export type NavRole = 'enterprise' | 'analyst' | 'policymaker' | 'admin';

export interface NavItem {
	href: string;
	label: MessageKey;
	roles: readonly NavRole[] | 'all';
}

export const NAV: readonly NavItem[] = [
	{ href: '/', label: 'nav.home', roles: 'all' },
	{ href: '/enterprise', label: 'nav.enterprise', roles: ['enterprise'] },
	{ href: '/admin/campaigns', label: 'nav.admin.campaigns', roles: ['admin'] },
	{ href: '/admin/users', label: 'nav.admin.users', roles: ['admin'] }
];

export function navFor(role: NavRole | null): NavItem[] {
	return NAV.filter((n) => n.roles === 'all' || (role !== null && n.roles.includes(role)));
}
