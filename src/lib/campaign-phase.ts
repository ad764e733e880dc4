/**
 * The phase of a campaign as staff see it: draft → scheduled → open → closed → published.
 * The stored status says what people decided; while it is 'open' the dates refine it, so a campaign
 * opening next month is "scheduled" and one past its closing date is "closed" before anyone acts.
 * Pure (server and pages alike), so every page shows the same phase.
 */
export type CampaignPhase = 'draft' | 'scheduled' | 'open' | 'closed' | 'published';
export const CAMPAIGN_PHASES: readonly CampaignPhase[] = [
	'draft',
	'scheduled',
	'open',
	'closed',
	'published'
];

export function campaignPhase(
	c: { status: 'draft' | 'open' | 'closed' | 'published'; opensAt: Date | string; closesAt: Date | string },
	now: Date = new Date()
): CampaignPhase {
	if (c.status !== 'open') return c.status;
	if (+now < +new Date(c.opensAt)) return 'scheduled';
	if (+now > +new Date(c.closesAt)) return 'closed';
	return 'open';
}
