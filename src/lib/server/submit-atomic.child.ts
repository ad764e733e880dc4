/**
 * Child process for submit-atomic.test.ts: runs a submission or a rescoring against a data folder
 * whose second write never returns, printing "between" when the process is stopped between the
 * writes, so the parent can kill it there.
 *
 *   submit <dir> <responseId> <revision>   the enterprise submits; the score write hangs
 *   rescore <dir> <campaignId>             the campaign is rescored; the response summary write hangs
 */
import { openDatabase, type Collection, type Database } from './db';
import { C } from './db/schema';
import { rescoreCampaign } from './rescore';
import { submitResponse } from './responses';
import { loadSurvey } from './surveys';
import { generateResponses } from '$lib/domain/generator';

const [mode, dir, a, b] = process.argv.slice(2);
const hang = () => new Promise<never>(() => setInterval(() => {}, 1 << 30));

/** `db` whose `collection(name).method` prints "between" and never returns. */
function stalling(db: Database, name: string, method: 'updateMany' | 'updateOne'): Database {
	return new Proxy(db, {
		get(target, prop) {
			if (prop === 'collection') {
				return (n: string) => {
					const coll = target.collection(n);
					if (n !== name) return coll;
					return new Proxy(coll, {
						get(c, p) {
							if (p === method) {
								return async () => {
									process.stdout.write('between\n');
									return hang();
								};
							}
							const v = Reflect.get(c, p) as unknown;
							return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(c) : v;
						}
					}) as Collection<never>;
				};
			}
			const v = Reflect.get(target, prop) as unknown;
			return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
		}
	});
}

async function main(): Promise<void> {
	const db = await openDatabase({ dir });
	if (mode === 'submit') {
		const survey = loadSurvey('mechanical/2025.1');
		const [valid] = generateResponses({
			questionnaire: survey.questionnaire,
			sector: 'mechanical',
			count: 1,
			seed: 7,
			missingRate: 0
		});
		const user = {
			id: 'ua',
			email: 'a@x.vn',
			name: 'A',
			role: 'enterprise' as const,
			enterpriseId: 'ent-a',
			locale: 'vi' as const
		};
		await submitResponse(stalling(db, C.scores, 'updateMany'), user, a, {
			data: valid.answers,
			currentPageNo: 0,
			revision: Number(b)
		});
	} else if (mode === 'rescore') {
		await rescoreCampaign(stalling(db, C.responses, 'updateOne'), { campaignId: a, actor: null });
	} else throw new Error(`unknown mode ${mode}`);
	process.stdout.write('finished\n');
}

main().catch((e) => {
	process.stderr.write(`child failed: ${e instanceof Error ? e.stack : String(e)}\n`);
	process.exit(1);
});
