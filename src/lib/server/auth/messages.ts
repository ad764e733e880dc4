/**
 * Every auth message in Vietnamese and English, in one place so wording stays consistent and
 * never reveals whether an account exists.
 */
import type { Bilingual } from './types';

/** "in 15 minutes" / "trong 15 phút": rounded up so the user never retries too early. */
export function waitText(seconds: number): Bilingual {
	if (seconds < 60) {
		const s = Math.max(1, Math.ceil(seconds));
		return { vi: `${s} giây`, en: `${s} second${s === 1 ? '' : 's'}` };
	}
	const m = Math.ceil(seconds / 60);
	return { vi: `${m} phút`, en: `${m} minute${m === 1 ? '' : 's'}` };
}

export const MSG = {
	invalidCredentials: {
		vi: 'Email hoặc mật khẩu không đúng.',
		en: 'Email or password is incorrect.'
	},
	throttled(seconds: number): Bilingual {
		const w = waitText(seconds);
		return {
			vi: `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${w.vi}.`,
			en: `Too many failed sign-in attempts. Please try again in ${w.en}.`
		};
	},
	disabled: {
		vi: 'Tài khoản này đã bị vô hiệu hoá. Vui lòng liên hệ quản trị viên.',
		en: 'This account has been disabled. Please contact the administrator.'
	},
	emailInvalid: {
		vi: 'Địa chỉ email không hợp lệ.',
		en: 'The email address is not valid.'
	},
	emailTaken: {
		vi: 'Đã có người dùng với địa chỉ email này.',
		en: 'A user with this email address already exists.'
	},
	nameRequired: {
		vi: 'Vui lòng nhập họ tên.',
		en: 'Please enter a name.'
	},
	nameTooLong: {
		vi: 'Họ tên không được dài quá 200 ký tự.',
		en: 'The name must be at most 200 characters.'
	},
	roleInvalid(role: string): Bilingual {
		return {
			vi: `Vai trò không hợp lệ: "${role}". Các vai trò: enterprise, analyst, policymaker, admin.`,
			en: `Unknown role "${role}". Roles: enterprise, analyst, policymaker, admin.`
		};
	},
	enterpriseRequired: {
		vi: 'Tài khoản doanh nghiệp phải gắn với một doanh nghiệp.',
		en: 'An enterprise account must be linked to an enterprise.'
	},
	enterpriseNotAllowed: {
		vi: 'Chỉ tài khoản doanh nghiệp mới gắn với một doanh nghiệp.',
		en: 'Only enterprise accounts are linked to an enterprise.'
	},
	localeInvalid: {
		vi: 'Ngôn ngữ phải là "vi" hoặc "en".',
		en: 'The language must be "vi" or "en".'
	},
	userNotFound: {
		vi: 'Không tìm thấy người dùng.',
		en: 'User not found.'
	},
	lastAdmin: {
		vi: 'Không thể thực hiện: đây là quản trị viên cuối cùng còn hoạt động.',
		en: 'Not allowed: this is the last active administrator.'
	},
	currentPasswordWrong: {
		vi: 'Mật khẩu hiện tại không đúng.',
		en: 'The current password is incorrect.'
	},
	passwordTooShort(min: number): Bilingual {
		return {
			vi: `Mật khẩu phải có ít nhất ${min} ký tự.`,
			en: `The password must be at least ${min} characters long.`
		};
	},
	passwordTooLong(max: number): Bilingual {
		return {
			vi: `Mật khẩu không được dài quá ${max} ký tự.`,
			en: `The password must be at most ${max} characters long.`
		};
	},
	passwordOneChar: {
		vi: 'Mật khẩu không được chỉ gồm một ký tự lặp lại.',
		en: 'The password must not be a single repeated character.'
	},
	passwordIsEmail: {
		vi: 'Mật khẩu không được trùng với địa chỉ email.',
		en: 'The password must not be the same as the email address.'
	},
	invitationUnknown: {
		vi: 'Liên kết mời không hợp lệ. Vui lòng kiểm tra lại đường dẫn hoặc xin một lời mời mới.',
		en: 'This invitation link is not valid. Check the link or ask for a new invitation.'
	},
	invitationExpired: {
		vi: 'Lời mời này đã hết hạn. Vui lòng xin một lời mời mới.',
		en: 'This invitation has expired. Please ask for a new invitation.'
	},
	invitationUsed: {
		vi: 'Lời mời này đã được sử dụng. Hãy đăng nhập, hoặc xin một lời mời mới.',
		en: 'This invitation has already been used. Sign in, or ask for a new invitation.'
	},
	invitationReplaced: {
		vi: 'Liên kết mời này đã được thay bằng một liên kết mới hơn. Vui lòng dùng liên kết trong e-mail mới nhất.',
		en: 'This invitation link has been replaced by a newer one. Please use the link in the latest e-mail.'
	},
	invitationRevoked: {
		vi: 'Lời mời này đã bị quản trị viên thu hồi. Vui lòng liên hệ Sở nếu bạn cần một lời mời mới.',
		en: 'An administrator revoked this invitation. Please contact the department if you need a new one.'
	},
	invitationAccountExists: {
		vi: 'Địa chỉ email này đã có tài khoản với mật khẩu: lời mời không thể đặt lại mật khẩu. Hãy đăng nhập, hoặc dùng chức năng quên mật khẩu.',
		en: 'This email already has an account with a password: an invitation cannot change it. Sign in, or use "forgot password".'
	},
	resetThrottled: {
		vi: 'Đã có quá nhiều yêu cầu đặt lại mật khẩu. Vui lòng thử lại sau.',
		en: 'Too many password reset requests. Please try again later.'
	},
	resetInvalid: {
		vi: 'Liên kết đặt lại mật khẩu không hợp lệ, đã dùng hoặc đã hết hạn. Vui lòng yêu cầu một liên kết mới.',
		en: 'This password reset link is not valid, was used or has expired. Please ask for a new one.'
	},
	resetSent: {
		vi: 'Nếu địa chỉ này thuộc một tài khoản đang hoạt động, chúng tôi đã gửi tới đó một liên kết đặt lại mật khẩu (hiệu lực 30 phút). Hãy kiểm tra hộp thư.',
		en: 'If this address belongs to an active account, we have sent it a password reset link (valid for 30 minutes). Check your mailbox.'
	},
	invitationConflict: {
		vi: 'Email này đã thuộc về một tài khoản có vai trò hoặc doanh nghiệp khác.',
		en: 'This email already belongs to an account with a different role or enterprise.'
	},
	invitationDays: {
		vi: 'Thời hạn lời mời phải từ 1 đến 365 ngày.',
		en: 'The invitation must be valid for 1 to 365 days.'
	}
} as const;
