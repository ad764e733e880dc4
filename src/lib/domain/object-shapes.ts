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
 * Here each distinct list of present keys (few per questionnaire in practice: which keys are
 * present follows from visibility and optional questions; 16 in the import bench's 100,000 rows)
 * gets an object literal of its own,
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
	/** Lookups since every shape slot was taken, and how many of them found a shape. */
	private lookupsWhenFull = 0;
	private hitsWhenFull = 0;
	/** Set when most lookups find nothing once full: hashing and searching would be pure overhead. */
	private keyByKeyOnly = false;

	/** The object being assembled by start/add/finish. */
	private readonly pendingPositions: number[] = [];
	private readonly pendingValues: unknown[] = [];
	private pending = 0;

	/** `keys`: every possible key, in the order objects list them. */
	constructor(
		readonly keys: readonly string[],
		private readonly maxShapes = 256
	) {}

	/** Distinct key lists kept, each compiled once (0 once building key by key only). */
	get size(): number {
		return this.keyByKeyOnly ? 0 : this.count;
	}

	/**
	 * Starts assembling an object key by key (add, then finish), dropping any unfinished one. One
	 * object at a time per instance: callers are synchronous and never re-entered.
	 */
	start(): void {
		this.pendingValues.fill(undefined, 0, this.pending);
		this.pending = 0;
	}

	/** Adds keys[position] = value to the object being assembled. */
	add(position: number, value: unknown): void {
		this.pendingPositions[this.pending] = position;
		this.pendingValues[this.pending++] = value;
	}

	/** The assembled object (see build); the values are let go, so nothing of it stays referenced here. */
	finish(): PlainValues {
		const out = this.build(this.pendingPositions, this.pendingValues, this.pending);
		this.start();
		return out;
	}

	/**
	 * The object with keys[positions[i]] = values[i] for i < n, in that order (a repeated position
	 * keeps its first place and its last value, as assignments would). Positions and values are
	 * only read: callers reuse them as scratch space.
	 */
	build(positions: readonly number[], values: readonly unknown[], n: number): PlainValues {
		if (this.keyByKeyOnly) return this.keyByKey(positions, values, n);
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
		} else if (this.count >= this.maxShapes) this.noteFullLookup(shape !== undefined);
		if (shape?.make) return shape.make(values as unknown[]);
		return this.keyByKey(positions, values, n);
	}

	/**
	 * Data whose key lists hardly repeat gains nothing here and pays for it: measured on 100,000
	 * random subsets of 60 keys, compiling a literal costs ~0.4 ms (2,048 of them: +0.85 s over
	 * building key by key, hence the default of 256 slots: +0.05–0.08 s), and each later lookup a
	 * few microseconds. Once every slot is taken, after 1,000 lookups with fewer hits than misses,
	 * only the key-by-key build is used (for the life of this instance, i.e. of the process for
	 * the validator's and the CSV mapping's).
	 */
	private noteFullLookup(hit: boolean): void {
		this.lookupsWhenFull++;
		if (hit) this.hitsWhenFull++;
		if (this.lookupsWhenFull >= 1000 && this.hitsWhenFull * 2 < this.lookupsWhenFull) {
			this.keyByKeyOnly = true;
			this.shapes.clear(); // the compiled literals are not used any more
		}
	}

	private keyByKey(positions: readonly number[], values: readonly unknown[], n: number): PlainValues {
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
