/** Answering a questionnaire (issue 18): numbers in the form's language, review before submit. */
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
	'number.readAs': 'Đã hiểu là {value} ({spelled}).'
} as const;
