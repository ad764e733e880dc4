/**
 * Vietnamese UI strings: the reference dictionary. Each area of the app keeps its strings in
 * `areas/<area>.vi.ts` and `areas/<area>.en.ts` (English typed against Vietnamese), so parallel
 * work on different areas never edits the same file; this file only merges them.
 */
import { vi as core } from './areas/core.vi';
import { vi as importArea } from './areas/import.vi';
import { vi as security } from './areas/security.vi';
import { vi as surveys } from './areas/surveys.vi';
import { vi as release } from './areas/release.vi';
import { vi as campaign } from './areas/campaign.vi';
import { vi as policy } from './areas/policy.vi';
import { vi as questionnaire } from './areas/questionnaire.vi';
import { vi as ops } from './areas/ops.vi';
import { vi as geo } from './areas/geo.vi';

export const vi = {
	...core,
	...importArea,
	...surveys,
	...security,
	...release,
	...campaign,
	...policy,
	...questionnaire,
	...ops,
	...geo
} as const;
