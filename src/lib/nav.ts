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
	{ href: '/analyst', label: 'release.nav', roles: ['analyst', 'policymaker', 'admin'] },
	{ href: '/policy', label: 'policy.nav', roles: ['policymaker', 'analyst', 'admin'] },
	{ href: '/analyst/imports', label: 'nav.analyst.imports', roles: ['analyst', 'admin'] },
	{ href: '/admin/campaigns', label: 'nav.admin.campaigns', roles: ['analyst', 'admin'] },
	{ href: '/admin/surveys', label: 'surveys.nav', roles: ['admin'] },
	{ href: '/admin/mail', label: 'nav.admin.mail', roles: ['admin'] },
	{ href: '/admin/users', label: 'nav.admin.users', roles: ['admin'] },
	{ href: '/admin/audit', label: 'security.nav.audit', roles: ['admin'] }
];

export function navFor(role: NavRole | null): NavItem[] {
	return NAV.filter((n) => n.roles === 'all' || (role !== null && n.roles.includes(role)));
}
