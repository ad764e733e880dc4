/** Security and operations: the audit log page and the "service unavailable" message. */
export const vi = {
	'security.nav.audit': 'Nhật ký kiểm toán',
	'security.forbidden.title': 'Không có quyền truy cập',
	'security.forbidden.body': 'Tài khoản của bạn không được phép mở trang này.',
	'security.unavailable.title': 'Dịch vụ tạm thời gián đoạn',
	'security.unavailable.body':
		'Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Dữ liệu của bạn không bị mất; vui lòng thử lại sau ít phút.',
	'security.tooLarge':
		'Dữ liệu gửi lên quá lớn: giới hạn là {limit}. Hãy chia tệp thành nhiều phần nhỏ hơn rồi gửi lại.',
	'security.badRequest': 'Yêu cầu không hợp lệ ({status}). Vui lòng kiểm tra lại địa chỉ hoặc biểu mẫu.',
	'security.reset.forgot': 'Quên mật khẩu?',
	'security.reset.askTitle': 'Đặt lại mật khẩu',
	'security.reset.askIntro':
		'Nhập địa chỉ email của tài khoản. Nếu tài khoản đang hoạt động, chúng tôi sẽ gửi một liên kết dùng một lần (hiệu lực 30 phút) để đặt mật khẩu mới và đăng nhập.',
	'security.reset.send': 'Gửi liên kết',
	'security.reset.title': 'Đặt mật khẩu mới',
	'security.reset.intro': 'Đặt mật khẩu mới cho {email}. Mọi phiên đăng nhập khác của tài khoản sẽ kết thúc.',
	'security.reset.submit': 'Lưu mật khẩu và đăng nhập',
	'security.reset.askAgain': 'Yêu cầu liên kết mới',
	'security.audit.title': 'Nhật ký kiểm toán',
	'security.audit.intro':
		'Mọi thao tác quản trị, mở lại phiếu đã nộp, xuất vi dữ liệu và thay đổi bộ tiêu chí đều được ghi lại (chỉ ghi thêm, không sửa hay xóa được).',
	'security.audit.action': 'Loại thao tác',
	'security.audit.allActions': 'Tất cả thao tác',
	'security.audit.actor': 'Người thực hiện',
	'security.audit.filter': 'Lọc',
	'security.audit.export': 'Xuất CSV',
	'security.audit.at': 'Thời điểm',
	'security.audit.target': 'Đối tượng',
	'security.audit.before': 'Trước',
	'security.audit.after': 'Sau',
	'security.audit.ip': 'Địa chỉ IP',
	'security.audit.system': 'Hệ thống',
	'security.audit.none': 'Chưa có bản ghi nào khớp bộ lọc.',
	'security.audit.showing': 'Hiển thị {shown} bản ghi mới nhất trên tổng số {total}.',
	'security.audit.older': 'Cũ hơn',
	'security.audit.newer': 'Mới hơn',
	'security.audit.details': 'Chi tiết'
} as const;
