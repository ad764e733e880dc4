import { describe, expect, it } from 'vitest';
import { decodeDocument, encodeValue } from './codec';

describe('document codec', () => {
	it('tags Dates, bytes, regular expressions and non-finite numbers, and reads them back', () => {
		const doc = {
			_id: 'a',
			at: new Date(Date.UTC(2026, 11, 7)),
			bytes: new Uint8Array([1, 2]),
			re: /x/g,
			nums: [Number.NaN, -Infinity, 1.5],
			nested: { list: [{ when: new Date(0) }, 'plain'] }
		};
		const text = encodeValue(doc);
		expect(text).toBe(
			'{"_id":"a","at":{"$date":"2026-12-07T00:00:00.000Z"},"bytes":{"$binary":"AQI="},"re":{"$regex":"x","$options":"g"},' +
				'"nums":[{"$numberDouble":"NaN"},{"$numberDouble":"-Infinity"},1.5],"nested":{"list":[{"when":{"$date":"1970-01-01T00:00:00.000Z"}},"plain"]}}'
		);
		expect(decodeDocument(text)).toEqual(doc);
	});

	it('keeps key order and a key named __proto__ as an own field, and leaves the input unchanged', () => {
		const input = JSON.parse('{"a": 1, "__proto__": {"x": 1}, "b": "2020"}') as Record<string, unknown>;
		input.b = new Date(0);
		expect(encodeValue(input)).toBe('{"a":1,"__proto__":{"x":1},"b":{"$date":"1970-01-01T00:00:00.000Z"}}');
		expect(input.b).toEqual(new Date(0));
	});

	it('drops undefined fields, writes undefined array elements as null, and names what it refuses', () => {
		expect(encodeValue({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
		expect(() => encodeValue({ a: [{ f: () => 1 }] })).toThrow(/cannot store a function at 'a\.0\.f'/);
		expect(() => encodeValue({ a: { $date: 'x' } })).toThrow(/'\$date' at 'a' is reserved/);
		expect(() => encodeValue({ m: new Map() })).toThrow(/Map at 'm'/);
	});
});
