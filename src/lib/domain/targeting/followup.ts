/**
 * Follow-up of a programme: compare the change in total score of supported and unsupported
 * enterprises between two releases (difference-in-differences, with n and a confidence interval;
 * the EU DMA's baseline/re-assessment idea). Not causal by itself: support was not randomised.
 */
import { differenceInDifferences, type DidEstimate, type DidObservation } from '../statistics';

export interface FollowUpInput {
	/** Enterprises the programme supported between the two releases. */
	supported: readonly string[];
	/** Total score per enterprise in the earlier release (before support). */
	before: ReadonlyMap<string, number>;
	/** Total score per enterprise in the later release. */
	after: ReadonlyMap<string, number>;
	/**
	 * The comparison group; default every other enterprise assessed in both releases. Passing the
	 * eligible-but-unsupported enterprises gives a fairer comparison.
	 */
	controls?: readonly string[];
	/** Confidence level, default 0.95. */
	level?: number;
}

export interface FollowUpResult extends DidEstimate {
	/** Enterprises assessed in both releases (the panel). */
	panel: number;
	/** Supported enterprises missing from one of the releases (left out: no before/after pair). */
	supportedMissing: number;
	/** Listed controls missing from one of the releases. */
	controlsMissing: number;
}

export function followUp(input: FollowUpInput): FollowUpResult {
	const { before, after } = input;
	const supported = new Set(input.supported);
	const controls = input.controls ? new Set(input.controls) : null;
	if (controls)
		for (const id of controls)
			if (supported.has(id))
				throw new RangeError(`enterprise ${id} is listed both as supported and as a control`);
	const rows: DidObservation[] = [];
	let panel = 0;
	// Sorted ids: the estimate's floating-point sums do not depend on map insertion order.
	for (const id of [...before.keys()].sort()) {
		const a = after.get(id);
		if (a === undefined) continue;
		panel++;
		const treated = supported.has(id);
		if (!treated && controls && !controls.has(id)) continue;
		rows.push({ before: before.get(id) as number, after: a, treated });
	}
	const inBoth = (id: string) => before.has(id) && after.has(id);
	let supportedMissing = 0;
	for (const id of supported) if (!inBoth(id)) supportedMissing++;
	let controlsMissing = 0;
	if (controls) for (const id of controls) if (!inBoth(id)) controlsMissing++;
	return { ...differenceInDifferences(rows, input.level), panel, supportedMissing, controlsMissing };
}
