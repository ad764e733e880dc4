/**
 * Objects with a fixed set of possible keys, built with V8 "fast" properties.
 *
 * An object grown key by key (`o[key] = v` with computed keys) leaves V8's fast mode after a dozen
 * or so keys and becomes a hash table: for ~50 answers ~3 KB instead of ~0.4 KB, and slower to
 * allocate. That matters where a row's answers are built: the CSV mapping (mapRecord) and the
 * validator's cleaned answers, which a response import keeps until its batch is staged, long
 * enough for most of them to outlive two scavenges and be promoted (they were about a quarter of
 * everything an import promoted).
 *
 * Here each distinct list of present keys (a handful per questionnaire in practice: which keys
 * are present follows from visibility and optional questions) gets an object literal of its own,
 * compiled once, so building an object is one exact allocation. The lists are found by a hash of
 * the key positions, checked in full. Past `maxShapes` lists, or for a key a literal cannot
 * express as an own property (`__proto__` sets the prototype in a literal), or where code cannot
 * be compiled, objects are built key by key: the same own keys, values and order, just not fast.
 */
export type PlainValues = Record<string, unknown>;

interface Shape {
	positions: number[];
	make: ((values: unknown[]) => PlainValues) | null;
}

export class ObjectShapes {
	private readonly shapes = new Map<number, Shape[]>();
	private count = 0;

	/** `keys`: every possible key, in the order objects list them. */
	constructor(
		readonly keys: readonly string[],
		private readonly maxShapes = 2048
	) {}

	/** Distinct key lists seen so far (each compiled at most once). */
	get size(): number {
		return this.count;
	}

	/**
	 * The object with keys[positions[i]] = values[i] for i < n, in that order (a repeated position
	 * keeps its first place and its last value, as assignments would). Positions and values are
	 * only read: callers reuse them as scratch space.
	 */
	build(positions: readonly number[], values: readonly unknown[], n: number): PlainValues {
		let hash = 0;
		for (let i = 0; i < n; i++) hash = (Math.imul(hash, 31) + positions[i] + 1) | 0;
		let list = this.shapes.get(hash);
		let shape: Shape | undefined;
		if (list) for (const s of list) if (samePositions(s.positions, positions, n)) shape = s;
		if (!shape && this.count < this.maxShapes) {
			shape = { positions: positions.slice(0, n), make: this.compile(positions, n) };
			if (!list) this.shapes.set(hash, (list = []));
			list.push(shape);
			this.count++;
		}
		if (shape?.make) return shape.make(values as unknown[]);
		const out: PlainValues = {};
		for (let i = 0; i < n; i++) {
			const key = this.keys[positions[i]];
			// Assigning "__proto__" would set the prototype: define it as the own key it is.
			if (key === '__proto__')
				Object.defineProperty(out, key, {
					value: values[i],
					writable: true,
					enumerable: true,
					configurable: true
				});
			else out[key] = values[i];
		}
		return out;
	}

	private compile(positions: readonly number[], n: number): ((values: unknown[]) => PlainValues) | null {
		const fields: string[] = [];
		for (let i = 0; i < n; i++) {
			const key = this.keys[positions[i]];
			if (key === '__proto__') return null;
			// JSON.stringify quotes and escapes any key, so no key can break out of the literal.
			fields.push(`${JSON.stringify(key)}: v[${i}]`);
		}
		try {
			return new Function('v', `return { ${fields.join(', ')} };`) as (values: unknown[]) => PlainValues;
		} catch {
			return null;
		}
	}
}

function samePositions(a: readonly number[], b: readonly number[], n: number): boolean {
	if (a.length !== n) return false;
	for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
	return true;
}
