/** English UI strings, merged from the areas; each area's English is type-checked against its Vietnamese. */
import { en as core } from './areas/core.en';
import { en as importArea } from './areas/import.en';
import { en as security } from './areas/security.en';
import { en as surveys } from './areas/surveys.en';
import { en as release } from './areas/release.en';
import { en as campaign } from './areas/campaign.en';
import { en as policy } from './areas/policy.en';
import { en as questionnaire } from './areas/questionnaire.en';
import { en as ops } from './areas/ops.en';
import { en as geo } from './areas/geo.en';
import type { vi } from './vi';

export const en: Record<keyof typeof vi, string> = {
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
};
