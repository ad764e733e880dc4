/**
 * The words of every e-mail, in Vietnamese and English. Kept apart from the layout (templates.ts)
 * so a translator edits one file. Values arrive already validated and formatted, unescaped: the
 * layout escapes them for HTML.
 */
import type { MailLocale } from './types';

/** A message's content independent of its HTML or plain-text layout. */
export interface MailContent {
	subject: string;
	/** Hidden preview line most mail clients show beside the subject. */
	preheader: string;
	greeting: string;
	paragraphs: string[];
	/** Key facts shown as a small table (label, value). */
	facts: [string, string][];
	action: { label: string; url: string };
	linkHint: string;
	after: string[];
	signoff: string;
	sender: string;
	footer: string;
}

export interface InvitationText {
	enterpriseName: string;
	campaignName: string;
	sector: string;
	closingDate: string;
	link: string;
	department: string;
}

export interface ReminderText {
	enterpriseName: string;
	campaignName: string;
	closingDate: string;
	daysLeft: number;
	link: string;
	department: string;
}

export interface ThanksText {
	enterpriseName: string;
	campaignName: string;
	scorecardLink: string;
	department: string;
}

export interface PasswordResetText {
	name: string;
	link: string;
	minutes: number;
	department: string;
}

export interface ReopenedText {
	enterpriseName: string;
	campaignName: string;
	reason: string;
	closingDate: string;
	link: string;
	department: string;
}

export interface AccountInvitationText {
	roleName: string;
	enterpriseName: string | null;
	link: string;
	expiresAt: string;
	department: string;
}

export interface LocaleTexts {
	defaultDepartment: string;
	/** A calendar date given as Vietnam-time day, month (1-12) and year. */
	formatDate(day: number, month: number, year: number): string;
	invitation(p: InvitationText): MailContent;
	reminder(p: ReminderText): MailContent;
	thanks(p: ThanksText): MailContent;
	passwordReset(p: PasswordResetText): MailContent;
	reopened(p: ReopenedText): MailContent;
	accountInvitation(p: AccountInvitationText): MailContent;
}

const EN_MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December'
] as const;

export const MAIL_TEXTS: Record<MailLocale, LocaleTexts> = {
	vi: {
		defaultDepartment: 'Sở Khoa học và Công nghệ',
		formatDate: (d, m, y) => `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`,
		invitation: (p) => ({
			subject: `Thư mời tham gia khảo sát trình độ công nghệ: ${p.campaignName}`,
			preheader: `Hạn hoàn thành: ${p.closingDate}`,
			greeting: `Kính gửi ${p.enterpriseName},`,
			paragraphs: [
				`${p.department} trân trọng mời Quý doanh nghiệp tham gia đợt khảo sát “${p.campaignName}” về trình độ và năng lực công nghệ sản xuất của các doanh nghiệp ngành ${p.sector}.`,
				'Phiếu khảo sát được thực hiện trực tuyến, có thể lưu lại và tiếp tục sau. Sau khi nộp phiếu, Quý doanh nghiệp nhận được bảng điểm trình độ công nghệ theo Thông tư 17/2019/TT-BKHCN. Thông tin của từng doanh nghiệp được bảo mật; số liệu chỉ được công bố ở dạng tổng hợp.'
			],
			facts: [
				['Đợt khảo sát', p.campaignName],
				['Ngành', p.sector],
				['Hạn hoàn thành', p.closingDate]
			],
			action: { label: 'Bắt đầu khảo sát', url: p.link },
			linkHint: 'Nếu nút trên không hoạt động, hãy sao chép đường dẫn sau vào trình duyệt:',
			after: ['Đường dẫn này dành riêng cho Quý doanh nghiệp; vui lòng không chuyển tiếp thư này.'],
			signoff: 'Trân trọng,',
			sender: p.department,
			footer: `Thư được gửi tự động từ hệ thống TechCap thay mặt ${p.department}. Nếu thư đến nhầm địa chỉ, xin vui lòng bỏ qua.`
		}),
		reminder: (p) => {
			const left = p.daysLeft === 0 ? 'hôm nay là ngày cuối' : `còn ${p.daysLeft} ngày`;
			return {
				subject:
					p.daysLeft === 0
						? `Nhắc nhở: hôm nay là hạn cuối khảo sát ${p.campaignName}`
						: `Nhắc nhở: còn ${p.daysLeft} ngày để hoàn thành khảo sát ${p.campaignName}`,
				preheader: `Đợt khảo sát đóng vào ngày ${p.closingDate} (${left}).`,
				greeting: `Kính gửi ${p.enterpriseName},`,
				paragraphs: [
					`Quý doanh nghiệp chưa nộp phiếu khảo sát “${p.campaignName}”. Đợt khảo sát đóng vào ngày ${p.closingDate} (${left}).`,
					'Các câu trả lời đã lưu vẫn được giữ nguyên; Quý doanh nghiệp có thể tiếp tục từ chỗ đã dừng.'
				],
				facts: [
					['Đợt khảo sát', p.campaignName],
					['Hạn hoàn thành', p.closingDate],
					['Thời gian còn lại', left]
				],
				action: { label: 'Tiếp tục khảo sát', url: p.link },
				linkHint: 'Nếu nút trên không hoạt động, hãy sao chép đường dẫn sau vào trình duyệt:',
				after: [
					'Nếu Quý doanh nghiệp đã nộp phiếu trong lúc thư này được gửi đi, xin vui lòng bỏ qua thư nhắc.'
				],
				signoff: 'Trân trọng,',
				sender: p.department,
				footer: `Thư được gửi tự động từ hệ thống TechCap thay mặt ${p.department}. Nếu thư đến nhầm địa chỉ, xin vui lòng bỏ qua.`
			};
		},
		passwordReset: (p) => ({
			subject: 'Đặt lại mật khẩu TechCap',
			preheader: `Liên kết dùng một lần, có hiệu lực trong ${p.minutes} phút.`,
			greeting: `Kính gửi ${p.name},`,
			paragraphs: [
				'Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản TechCap của bạn. Bấm nút dưới đây để đặt mật khẩu mới và đăng nhập.',
				`Liên kết chỉ dùng được một lần và hết hạn sau ${p.minutes} phút. Khi bạn đặt mật khẩu mới, mọi phiên đăng nhập khác của tài khoản sẽ kết thúc.`
			],
			facts: [['Hiệu lực', `${p.minutes} phút`]],
			action: { label: 'Đặt mật khẩu mới', url: p.link },
			linkHint: 'Nếu nút trên không hoạt động, hãy sao chép đường dẫn sau vào trình duyệt:',
			after: ['Nếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu hiện tại vẫn giữ nguyên.'],
			signoff: 'Trân trọng,',
			sender: p.department,
			footer: `Thư được gửi tự động từ hệ thống TechCap thay mặt ${p.department}. Nếu thư đến nhầm địa chỉ, xin vui lòng bỏ qua.`
		}),
		accountInvitation: (p) => ({
			subject: 'Lời mời tạo tài khoản TechCap',
			preheader: `Tạo tài khoản trước ngày ${p.expiresAt}.`,
			greeting: 'Kính gửi Quý Ông/Bà,',
			paragraphs: [
				p.enterpriseName
					? `${p.department} mời Quý Ông/Bà tạo tài khoản TechCap cho ${p.enterpriseName}, để trả lời các phiếu khảo sát trình độ công nghệ và xem bảng điểm của doanh nghiệp.`
					: `${p.department} mời Quý Ông/Bà tạo tài khoản TechCap với vai trò ${p.roleName}.`,
				'Bấm nút dưới đây, đặt tên và mật khẩu để bắt đầu. Liên kết chỉ dùng được một lần.'
			],
			facts: [
				['Vai trò', p.roleName],
				...(p.enterpriseName ? ([['Doanh nghiệp', p.enterpriseName]] as [string, string][]) : []),
				['Hiệu lực đến', p.expiresAt]
			],
			action: { label: 'Tạo tài khoản', url: p.link },
			linkHint: 'Nếu nút trên không hoạt động, hãy sao chép đường dẫn sau vào trình duyệt:',
			after: [],
			signoff: 'Trân trọng,',
			sender: p.department,
			footer: `Thư được gửi tự động từ hệ thống TechCap thay mặt ${p.department}. Nếu thư đến nhầm địa chỉ, xin vui lòng bỏ qua.`
		}),
		reopened: (p) => ({
			subject: `Phiếu khảo sát “${p.campaignName}” đã được mở lại để chỉnh sửa`,
			preheader: `Lý do: ${p.reason}`,
			greeting: `Kính gửi ${p.enterpriseName},`,
			paragraphs: [
				`${p.department} đã mở lại phiếu khảo sát “${p.campaignName}” mà Quý doanh nghiệp đã nộp, để Quý doanh nghiệp bổ sung hoặc chỉnh sửa.`,
				`Lý do mở lại: ${p.reason}`,
				'Các câu trả lời đã nộp vẫn được giữ nguyên: Quý doanh nghiệp chỉ cần sửa những câu cần thiết, xem lại và nộp lại phiếu.'
			],
			facts: [
				['Đợt khảo sát', p.campaignName],
				['Hạn nộp lại', p.closingDate]
			],
			action: { label: 'Tiếp tục trả lời', url: p.link },
			linkHint: 'Nếu nút trên không hoạt động, hãy sao chép đường dẫn sau vào trình duyệt:',
			after: [],
			signoff: 'Trân trọng,',
			sender: p.department,
			footer: `Thư được gửi tự động từ hệ thống TechCap thay mặt ${p.department}. Nếu thư đến nhầm địa chỉ, xin vui lòng bỏ qua.`
		}),
		thanks: (p) => ({
			subject: `Cảm ơn Quý doanh nghiệp đã hoàn thành khảo sát ${p.campaignName}`,
			preheader: 'Bảng điểm trình độ công nghệ của Quý doanh nghiệp đã sẵn sàng.',
			greeting: `Kính gửi ${p.enterpriseName},`,
			paragraphs: [
				`${p.department} trân trọng cảm ơn Quý doanh nghiệp đã hoàn thành và nộp phiếu khảo sát “${p.campaignName}”.`,
				'Bảng điểm của Quý doanh nghiệp đã sẵn sàng: điểm theo năm nhóm tiêu chí (T, E, O, R, I), hệ số đồng bộ K, mức trình độ công nghệ và, khi đủ số liệu, so sánh với các doanh nghiệp cùng ngành.'
			],
			facts: [['Đợt khảo sát', p.campaignName]],
			action: { label: 'Xem bảng điểm', url: p.scorecardLink },
			linkHint: 'Nếu nút trên không hoạt động, hãy sao chép đường dẫn sau vào trình duyệt:',
			after: ['Bảng điểm dành riêng cho Quý doanh nghiệp; vui lòng không chuyển tiếp thư này.'],
			signoff: 'Trân trọng,',
			sender: p.department,
			footer: `Thư được gửi tự động từ hệ thống TechCap thay mặt ${p.department}. Nếu thư đến nhầm địa chỉ, xin vui lòng bỏ qua.`
		})
	},
	en: {
		defaultDepartment: 'Department of Science and Technology',
		formatDate: (d, m, y) => `${d} ${EN_MONTHS[m - 1]} ${y}`,
		invitation: (p) => ({
			subject: `Invitation: technology capability survey – ${p.campaignName}`,
			preheader: `Closing date: ${p.closingDate}`,
			greeting: `Dear ${p.enterpriseName},`,
			paragraphs: [
				`${p.department} invites your enterprise to take part in the survey “${p.campaignName}” on the production technology level and capability of enterprises in the ${p.sector} sector.`,
				'The questionnaire is online; you can save it and continue later. Once you submit it, you receive a technology scorecard under Circular 17/2019/TT-BKHCN. Individual answers are kept confidential; figures are published only in aggregate.'
			],
			facts: [
				['Survey', p.campaignName],
				['Sector', p.sector],
				['Closing date', p.closingDate]
			],
			action: { label: 'Start the survey', url: p.link },
			linkHint: 'If the button does not work, copy this link into your browser:',
			after: ['This link is personal to your enterprise; please do not forward this message.'],
			signoff: 'Yours sincerely,',
			sender: p.department,
			footer: `Sent automatically by TechCap on behalf of ${p.department}. If you received this message by mistake, please ignore it.`
		}),
		reminder: (p) => {
			const left =
				p.daysLeft === 0
					? 'today is the last day'
					: p.daysLeft === 1
						? '1 day left'
						: `${p.daysLeft} days left`;
			return {
				subject:
					p.daysLeft === 0
						? `Reminder: the ${p.campaignName} survey closes today`
						: `Reminder: ${left} to complete the ${p.campaignName} survey`,
				preheader: `The survey closes on ${p.closingDate} (${left}).`,
				greeting: `Dear ${p.enterpriseName},`,
				paragraphs: [
					`Your enterprise has not yet submitted the survey “${p.campaignName}”. It closes on ${p.closingDate} (${left}).`,
					'The answers you have saved are kept; you can continue where you stopped.'
				],
				facts: [
					['Survey', p.campaignName],
					['Closing date', p.closingDate],
					['Time left', left]
				],
				action: { label: 'Continue the survey', url: p.link },
				linkHint: 'If the button does not work, copy this link into your browser:',
				after: ['If you have submitted while this message was on its way, please ignore this reminder.'],
				signoff: 'Yours sincerely,',
				sender: p.department,
				footer: `Sent automatically by TechCap on behalf of ${p.department}. If you received this message by mistake, please ignore it.`
			};
		},
		passwordReset: (p) => ({
			subject: 'Reset your TechCap password',
			preheader: `A one-time link, valid for ${p.minutes} minutes.`,
			greeting: `Dear ${p.name},`,
			paragraphs: [
				'We received a request to reset the password of your TechCap account. Use the button below to set a new password and sign in.',
				`The link works once and expires in ${p.minutes} minutes. Setting a new password ends every other session of the account.`
			],
			facts: [['Valid for', `${p.minutes} minutes`]],
			action: { label: 'Set a new password', url: p.link },
			linkHint: 'If the button does not work, copy this address into your browser:',
			after: ['If you did not ask for this, ignore this message: your current password stays as it is.'],
			signoff: 'Yours sincerely,',
			sender: p.department,
			footer: `Sent automatically by TechCap on behalf of the ${p.department}. If you received this message by mistake, please ignore it.`
		}),
		accountInvitation: (p) => ({
			subject: 'Your invitation to TechCap',
			preheader: `Create your account before ${p.expiresAt}.`,
			greeting: 'Dear Sir or Madam,',
			paragraphs: [
				p.enterpriseName
					? `${p.department} invites you to create a TechCap account for ${p.enterpriseName}, to answer its technology capability surveys and see its scorecards.`
					: `${p.department} invites you to create a TechCap account as ${p.roleName}.`,
				'Use the button below and choose your name and password to start. The link works once.'
			],
			facts: [
				['Role', p.roleName],
				...(p.enterpriseName ? ([['Enterprise', p.enterpriseName]] as [string, string][]) : []),
				['Valid until', p.expiresAt]
			],
			action: { label: 'Create my account', url: p.link },
			linkHint: 'If the button does not work, copy this link into your browser:',
			after: [],
			signoff: 'Yours sincerely,',
			sender: p.department,
			footer: `Sent automatically by TechCap on behalf of ${p.department}. If you received this message by mistake, please ignore it.`
		}),
		reopened: (p) => ({
			subject: `Your questionnaire “${p.campaignName}” has been reopened for corrections`,
			preheader: `Reason: ${p.reason}`,
			greeting: `Dear ${p.enterpriseName},`,
			paragraphs: [
				`${p.department} has reopened the questionnaire “${p.campaignName}” that your enterprise submitted, so that it can be completed or corrected.`,
				`Reason: ${p.reason}`,
				'Your submitted answers are kept: change only what is needed, review and submit again.'
			],
			facts: [
				['Survey', p.campaignName],
				['Submit again by', p.closingDate]
			],
			action: { label: 'Continue answering', url: p.link },
			linkHint: 'If the button does not work, copy this link into your browser:',
			after: [],
			signoff: 'Yours sincerely,',
			sender: p.department,
			footer: `Sent automatically by TechCap on behalf of ${p.department}. If you received this message by mistake, please ignore it.`
		}),
		thanks: (p) => ({
			subject: `Thank you – your technology scorecard for ${p.campaignName}`,
			preheader: "Your enterprise's technology scorecard is ready.",
			greeting: `Dear ${p.enterpriseName},`,
			paragraphs: [
				`${p.department} thanks your enterprise for completing and submitting the survey “${p.campaignName}”.`,
				'Your scorecard is ready: scores for the five groups of criteria (T, E, O, R, I), the synchronisation coefficient K, your technology level and, once enough enterprises have answered, a comparison with your sector.'
			],
			facts: [['Survey', p.campaignName]],
			action: { label: 'View the scorecard', url: p.scorecardLink },
			linkHint: 'If the button does not work, copy this link into your browser:',
			after: ['The scorecard is meant for your enterprise only; please do not forward this message.'],
			signoff: 'Yours sincerely,',
			sender: p.department,
			footer: `Sent automatically by TechCap on behalf of ${p.department}. If you received this message by mistake, please ignore it.`
		})
	}
};
