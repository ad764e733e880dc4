/**
 * Demo accounts, one per role. The passwords are public by design (they are printed at start-up
 * and in the README), so the demo refuses to seed them on MongoDB unless TECHCAP_DEMO=1 is explicit.
 */
import type { Role } from '../db/schema';

export interface DemoLogin {
	role: Role;
	email: string;
	name: string;
	password: string;
}

export const DEMO_PASSWORD = 'techcap-demo-2026';

export const DEMO_LOGINS: readonly DemoLogin[] = [
	{ role: 'admin', email: 'admin@demo.techcap.vn', name: 'Quản trị Demo', password: DEMO_PASSWORD },
	{ role: 'analyst', email: 'analyst@demo.techcap.vn', name: 'Chuyên viên Demo', password: DEMO_PASSWORD },
	{ role: 'policymaker', email: 'policy@demo.techcap.vn', name: 'Lãnh đạo Sở Demo', password: DEMO_PASSWORD },
	{
		role: 'enterprise',
		email: 'enterprise@demo.techcap.vn',
		name: 'Doanh nghiệp Demo',
		password: DEMO_PASSWORD
	}
];
