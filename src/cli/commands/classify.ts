import { parseArgs, requireFlag, UsageError, type Command } from '../command';
import { listSurveyIds, loadSurvey } from '../../lib/server/surveys';
import { classify, GROUP_IDS, parseDecimal, type GroupId } from '../../lib/domain/rubric';

/** Parses `T=20,E=12.5,O=10,R=6,I=5`; every group exactly once. */
export function parseGroups(text: string): Record<GroupId, number> {
	const out: Partial<Record<GroupId, number>> = {};
	for (const part of text.split(',')) {
		const m = /^\s*([A-Za-z])\s*=\s*([^\s]+)\s*$/.exec(part);
		if (!m) throw new UsageError(`--groups: expected G=<number>, got '${part}'`);
		const g = m[1].toUpperCase() as GroupId;
		if (!GROUP_IDS.includes(g)) throw new UsageError(`--groups: unknown group '${m[1]}' (use T, E, O, R, I)`);
		if (g in out) throw new UsageError(`--groups: group ${g} given twice`);
		// Decimal notation only: Number() would read 0x10, 0b1, 0o7 and Infinity as numbers.
		const v = parseDecimal(m[2]);
		if (Number.isNaN(v))
			throw new UsageError(`--groups: ${g} must be a decimal number such as 12.5, got '${m[2]}'`);
		out[g] = v;
	}
	const missing = GROUP_IDS.filter((g) => !(g in out));
	if (missing.length) throw new UsageError(`--groups: missing ${missing.join(', ')}`);
	return out as Record<GroupId, number>;
}

const command: Command = {
	name: 'classify',
	summary: 'Total, K and level from five group scores scored by hand',
	usage: 'classify --groups T=<n>,E=<n>,O=<n>,R=<n>,I=<n> [--survey <sector>/<version>]',
	async run(argv, io) {
		const args = parseArgs(argv, { values: ['groups', 'survey'] });
		const groups = parseGroups(requireFlag(args, 'groups'));
		const id = typeof args.flags.survey === 'string' ? args.flags.survey : listSurveyIds()[0];
		if (!id) throw new Error('no survey versions found');
		const { rubric } = loadSurvey(id);
		try {
			io.out(JSON.stringify(classify(rubric, groups)));
		} catch (e) {
			if (e instanceof RangeError) throw new UsageError(`--groups: ${e.message}`);
			throw e;
		}
		return 0;
	}
};
export default command;
