/** Numbers typed by people, in the form's language. */
export {
	parseTypedNumber,
	formatTypedNumber,
	describeNumber,
	MARKS,
	type NumberLocale,
	type TypedNumber,
	type InvalidReason
} from './typed';
export { unitFromTitle } from './unit';
