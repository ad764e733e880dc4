import { getDatabase } from '$lib/server/db';
import { canEditPolicy, canSeeIdentities, listSources } from '$lib/server/policy';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const sources = await listSources(await getDatabase(), locals.user);
	return {
		sources: sources.map((s) => ({ id: s.id, label: s.label, kind: s.kind, sector: s.sector, year: s.year })),
		canEdit: canEditPolicy(locals.user),
		identities: canSeeIdentities(locals.user)
	};
};
