/** Where each role starts its work after signing in without a page to return to. */
export type LandingRole = 'enterprise' | 'analyst' | 'policymaker' | 'admin';

const LANDING: Record<LandingRole, string> = {
	enterprise: '/enterprise',
	analyst: '/analyst',
	policymaker: '/policy',
	admin: '/admin/campaigns'
};

/** `next` when the sign-in was asked for by a page; otherwise the role's own dashboard. */
export function landingAfterLogin(role: string, next: string): string {
	if (next !== '/') return next;
	return LANDING[role as LandingRole] ?? '/';
}
