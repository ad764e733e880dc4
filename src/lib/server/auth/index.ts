/** Accounts, sessions, sign-in throttling and invitations: who may sign in, and for how long. */
export type { SessionUser, PublicUser, Bilingual, Failure, AuthLocale, Clock } from './types';
export { AuthInputError } from './types';
export { toSessionUser, toPublicUser } from './types';
export {
	SESSION_COOKIE,
	sessionConfig,
	sessionCookieOptions,
	createSession,
	validateSession,
	invalidateSession,
	invalidateUserSessions
} from './sessions';
export type { NewSession, ValidSession, SessionCookieOptions } from './sessions';
export { login } from './login';
export type { LoginInput, LoginSuccess, LoginFailure } from './login';
export {
	ACCOUNT_RULE,
	ACCOUNT_DELAY,
	PAIR_RULE,
	IP_RULE,
	accountKey,
	pairKey,
	ipKey,
	lockedFor,
	recordFailure,
	reserveAttempt,
	settleReservation,
	claimAccountSlot,
	accountDelaySeconds,
	resetThrottle
} from './throttle';
export {
	createInvitation,
	inspectInvitation,
	acceptInvitation,
	invitationPath,
	revokePendingInvitations,
	DEFAULT_INVITATION_DAYS
} from './invitations';
export type { InvitationStatus, InvitationInfo, NewInvitation, AcceptedInvitation } from './invitations';
export {
	listUsers,
	getUser,
	findUserByEmail,
	createUser,
	setUserDisabled,
	setUserRole,
	changePassword,
	normaliseEmail,
	isRole
} from './users';
export type { CreateUserInput } from './users';
export { checkPasswordPolicy, hashPassword, verifyPassword, PASSWORD_MIN_LENGTH } from './password';
export {
	requestPasswordReset,
	inspectPasswordReset,
	completePasswordReset,
	resetPath,
	RESET_MINUTES
} from './reset';
export type { ResetStatus, CompletedReset, ResetRequestResult } from './reset';
