/**
 * Labels for internal codes shown to staff: audit actions, mail templates and mail
 * languages. An unknown code (a newer action, an old record) is shown as itself, so nothing is
 * ever hidden, and the code stays available as a technical detail.
 */
import type { Bilingual, Locale } from './i18n';

export const AUDIT_ACTION_LABELS: Record<string, Bilingual> = {
	'access.forbidden': { vi: 'Truy cập bị từ chối', en: 'Access refused' },
	'access.rows-refused': { vi: 'Từ chối dữ liệu từng doanh nghiệp', en: 'Row-level data refused' },
	'audit.export': { vi: 'Xuất nhật ký kiểm toán', en: 'Audit log exported' },
	'boundaries.upload': { vi: 'Tải lên ranh giới phường/xã', en: 'Ward boundaries uploaded' },
	'campaign.close': { vi: 'Đóng đợt khảo sát', en: 'Campaign closed' },
	'campaign.create': { vi: 'Tạo đợt khảo sát', en: 'Campaign created' },
	'campaign.extend': { vi: 'Gia hạn đợt khảo sát', en: 'Campaign extended' },
	'campaign.invite': { vi: 'Mời doanh nghiệp', en: 'Enterprises invited' },
	'campaign.remind': { vi: 'Gửi nhắc nhở', en: 'Reminders sent' },
	'campaign.reminders': { vi: 'Đổi lịch nhắc', en: 'Reminder schedule changed' },
	'campaign.reopen': { vi: 'Mở lại đợt khảo sát', en: 'Campaign reopened' },
	'campaign.rescore': { vi: 'Chấm điểm lại', en: 'Campaign rescored' },
	'campaign.status': { vi: 'Đổi trạng thái đợt khảo sát', en: 'Campaign status changed' },
	'database.backup': { vi: 'Sao lưu cơ sở dữ liệu', en: 'Database backed up' },
	'database.restore': { vi: 'Khôi phục cơ sở dữ liệu', en: 'Database restored' },
	'import.enterprises': { vi: 'Nhập danh bạ doanh nghiệp', en: 'Register imported' },
	'import.responses': { vi: 'Nhập phiếu trả lời', en: 'Responses imported' },
	'mail.requeue': { vi: 'Gửi lại thư', en: 'Message queued again' },
	'password.reset': { vi: 'Đặt lại mật khẩu', en: 'Password reset' },
	'password.reset-request': { vi: 'Yêu cầu đặt lại mật khẩu', en: 'Password reset requested' },
	'programme.create': { vi: 'Tạo chương trình hỗ trợ', en: 'Support programme created' },
	'programme.update': { vi: 'Sửa chương trình hỗ trợ', en: 'Support programme changed' },
	'release.microdata-export': { vi: 'Xuất vi dữ liệu', en: 'Microdata exported' },
	'release.discard': { vi: 'Hủy bản nháp phát hành', en: 'Draft release discarded' },
	'release.draft': { vi: 'Tạo bản nháp phát hành', en: 'Draft release built' },
	'release.publish': { vi: 'Công bố kết quả', en: 'Release published' },
	'release.return': { vi: 'Trả lại bản phát hành', en: 'Release returned to draft' },
	'release.submit': { vi: 'Gửi duyệt bản phát hành', en: 'Release submitted for publication' },
	'response.reopen': { vi: 'Mở lại phiếu đã nộp', en: 'Submitted response reopened' },
	'response.decline': { vi: 'Ghi nhận từ chối tham gia', en: 'Refusal to take part recorded' },
	'response.undecline': { vi: 'Bỏ ghi nhận từ chối', en: 'Refusal record withdrawn' },
	'rubric.version.edit': { vi: 'Sửa phiên bản phiếu và tiêu chí', en: 'Questionnaire version edited' },
	'rubric.version.upload': {
		vi: 'Tải lên phiên bản phiếu và tiêu chí',
		en: 'Questionnaire version uploaded'
	},
	'shortlist.export': { vi: 'Xuất danh sách hỗ trợ', en: 'Shortlist exported' },
	'shortlist.view': { vi: 'Xem danh sách hỗ trợ', en: 'Shortlist viewed' },
	'support.record': { vi: 'Ghi nhận hỗ trợ', en: 'Support recorded' },
	'support.remove': { vi: 'Xóa ghi nhận hỗ trợ', en: 'Support removed' },
	'test.slow-request': { vi: 'Yêu cầu kiểm thử (chậm)', en: 'Slow test request' },
	'user.create': { vi: 'Tạo người dùng', en: 'User created' },
	'user.disable': { vi: 'Khóa người dùng', en: 'User disabled' },
	'user.enable': { vi: 'Mở khóa người dùng', en: 'User enabled' },
	'user.invite': { vi: 'Gửi lời mời tạo tài khoản', en: 'Account invitation sent' },
	'user.invite.resend': { vi: 'Gửi lại lời mời', en: 'Invitation sent again' },
	'user.invite.revoke': { vi: 'Thu hồi lời mời', en: 'Invitation revoked' },
	'user.publisher.grant': { vi: 'Giao quyền công bố', en: 'Publishing right granted' },
	'user.publisher.revoke': { vi: 'Rút quyền công bố', en: 'Publishing right withdrawn' },
	'user.role': { vi: 'Đổi vai trò', en: 'Role changed' }
};

export function auditActionLabel(action: string, locale: Locale): string {
	return AUDIT_ACTION_LABELS[action]?.[locale] ?? action;
}

export const MAIL_TEMPLATE_LABELS: Record<string, Bilingual> = {
	invitation: { vi: 'Thư mời tham gia khảo sát', en: 'Survey invitation' },
	reminder: { vi: 'Thư nhắc', en: 'Reminder' },
	thanks: { vi: 'Thư cảm ơn', en: 'Thank-you message' },
	'password-reset': { vi: 'Đặt lại mật khẩu', en: 'Password reset' },
	reopened: { vi: 'Phiếu được mở lại', en: 'Response reopened' },
	'account-invitation': { vi: 'Lời mời tạo tài khoản', en: 'Account invitation' }
};

export function mailTemplateLabel(template: string, locale: Locale): string {
	return MAIL_TEMPLATE_LABELS[template]?.[locale] ?? template;
}

/** The language a message is written in, named in the reader's language. */
export function languageLabel(code: string, locale: Locale): string {
	const names: Record<string, Bilingual> = {
		vi: { vi: 'tiếng Việt', en: 'Vietnamese' },
		en: { vi: 'tiếng Anh', en: 'English' }
	};
	return names[code]?.[locale] ?? code;
}
