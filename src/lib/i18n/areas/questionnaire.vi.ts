/** Answering a questionnaire: numbers in the form's language, review before submit. */
export const vi = {
	'number.characters':
		'Chỉ nhập chữ số: dấu phẩy cho phần thập phân, dấu chấm hoặc khoảng trắng giữa các nhóm nghìn (ví dụ 1.250.000,5).',
	'number.exponent': 'Hãy viết đầy đủ các chữ số, không dùng dạng lũy thừa như 1e6.',
	'number.separators':
		'Không đọc được số này: dấu phẩy thập phân chỉ dùng một lần, dấu chấm hoặc khoảng trắng chia các nhóm ba chữ số (ví dụ 1.250.000,5).',
	'number.incomplete': 'Số chưa nhập xong.',
	'number.tooLong': 'Số quá dài: tối đa 15 chữ số có nghĩa.',
	'number.range': 'Vui lòng nhập một số từ {min} đến {max}.',
	'number.min': 'Vui lòng nhập một số không nhỏ hơn {min}.',
	'number.max': 'Vui lòng nhập một số không lớn hơn {max}.',
	'number.notSaved': '(Chưa lưu.)',
	'number.choose': '“{text}” có thể hiểu theo hai cách: hãy chọn số bạn muốn nhập bên dưới.',
	'number.whichOne': '“{text}” là số nào?',
	'number.readAs': 'Đã hiểu là {value} ({spelled}).',
	'enterprise.reopened': 'Phiếu đã được mở lại để chỉnh sửa. Lý do: {reason}',
	'plausibility.higher':
		'Lưu ý: gấp khoảng {factor} lần câu trả lời năm trước ({previous}). Hãy kiểm tra đơn vị và số chữ số 0; nếu đúng, bạn cứ giữ nguyên.',
	'plausibility.lower':
		'Lưu ý: chỉ bằng khoảng 1/{factor} câu trả lời năm trước ({previous}). Hãy kiểm tra đơn vị và số chữ số 0; nếu đúng, bạn cứ giữ nguyên.',
	'plausibility.usualHigher':
		'Lưu ý: cao hơn mức thường gặp trong ngành ({low} – {high}, theo số liệu công bố năm {year}). Hãy kiểm tra đơn vị và số chữ số 0; nếu đúng, bạn cứ giữ nguyên.',
	'plausibility.usualLower':
		'Lưu ý: thấp hơn mức thường gặp trong ngành ({low} – {high}, theo số liệu công bố năm {year}). Hãy kiểm tra đơn vị và số chữ số 0; nếu đúng, bạn cứ giữ nguyên.',
	'plausibility.confirmed': 'Cảnh báo đã xác nhận',
	'plausibility.confirmedCount': '{count} cảnh báo hợp lý đã được doanh nghiệp xác nhận khi nộp phiếu.',
	'plausibility.none': 'Không có cảnh báo nào.',
	'plausibility.question': 'Câu hỏi',
	'plausibility.value': 'Giá trị',
	'plausibility.comparison': 'So sánh',
	'plausibility.confirmedAt': 'Xác nhận lúc',
	'plausibility.lastYear': 'năm trước: {previous} (gấp {factor} lần, ngưỡng ×{ratio})',
	'plausibility.lastYearLower': 'năm trước: {previous} (bằng 1/{factor}, ngưỡng ×{ratio})',
	'plausibility.usual': 'mức thường gặp năm {year}: {low} – {high}',
	'plausibility.importRow': 'Cần xem lại (không chặn việc nhập): {value}, {comparison}.',
	'plausibility.importSummary':
		'{count} câu trả lời khác xa năm trước hoặc ngoài mức thường gặp của ngành; đã nhập, không chặn. Xem chi tiết (mã plausibility) trong báo cáo.',
	'answers.title': 'Câu trả lời của doanh nghiệp',
	'answers.print': 'In / lưu PDF',
	'answers.pdf': 'Xem và in câu trả lời (PDF)',
	'answers.submittedAt': 'Nộp lúc',
	'answers.draft': 'Phiếu chưa nộp: đây là các câu trả lời đã lưu đến giờ.',
	'answers.taxCode': 'MST',
	'answers.question': 'Câu hỏi',
	'answers.answer': 'Trả lời',
	'answers.back': 'Quay lại',
	'answers.none': 'Chưa có câu trả lời nào.',
	'review.warnings': 'Lưu ý (không bắt buộc sửa):',
	'scorecard.answersCsv': 'Tải câu trả lời (CSV)',
	'review.title': 'Xem lại và nộp phiếu',
	'review.loading': 'Đang kiểm tra câu trả lời…',
	'review.ready':
		'Tất cả câu hỏi bắt buộc đã được trả lời; câu trả lời của bạn ở trang xem lại phía sau hộp thoại này.',
	'review.expected': 'Mức trình độ công nghệ dự kiến: {level} ({total}/100 điểm).',
	'review.lock': 'Sau khi nộp, phiếu sẽ bị khóa; chỉ quản trị viên mới có thể mở lại để sửa.',
	'review.blocked': 'Còn {count} câu cần trả lời hoặc sửa trước khi nộp:',
	'review.offline': 'Không kiểm tra được câu trả lời (mất kết nối?). Câu trả lời vẫn được giữ nguyên.',
	'review.confirm': 'Xác nhận nộp phiếu',
	'review.back': 'Quay lại phiếu',
	'review.retry': 'Thử lại'
} as const;
