/** English UI strings, merged from the areas; each area's English is type-checked against its Vietnamese. */
import { en as core } from './areas/core.en';
import type { vi } from './vi';

export const en: Record<keyof typeof vi, string> = {
	...core
};
