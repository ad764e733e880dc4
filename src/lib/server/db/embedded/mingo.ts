/**
 * mingo configured for the embedded engine: every operator, scripts disabled, and corrected
 * `$percentile` / `$median` (mingo 7.2.7 sorts numbers as text and returns null for
 * `method: 'continuous'`).
 *
 * mingo's top-level wrappers merge a caller's Context *under* the built-in one (the first
 * definition of an operator wins), so an override has to be a complete Context used with the
 * base classes from 'mingo/query', 'mingo/aggregator' and 'mingo/updater'.
 */
import { Aggregator } from 'mingo/aggregator';
import { Context, evalExpr, ProcessingMode } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { AnyObject, Options } from 'mingo/types';
import { updateOne } from 'mingo/updater';
import type { Modifier, PipelineStage } from 'mingo/updater';

type PercentileMethod = 'approximate' | 'discrete' | 'continuous';

/**
 * Percentile of sorted numbers, matching MongoDB's definitions (server source
 * percentile_algo_discrete/continuous):
 * - 'approximate' and 'discrete': a value of the data, the one at 1-based rank ceil(p·n)
 *   (rank 1 for p = 0). MongoDB's approximate method is a t-digest whose answers equal this
 *   discrete percentile on the small inputs TechCap aggregates; we always return the exact one.
 * - 'continuous': linear interpolation at 0-based rank p·(n − 1).
 */
export function percentileOfSorted(sorted: number[], p: number, method: PercentileMethod): number | null {
	const n = sorted.length;
	if (n === 0) return null;
	if (method === 'continuous') {
		const rank = p * (n - 1);
		const lo = Math.floor(rank);
		const hi = Math.ceil(rank);
		return lo === hi ? sorted[lo] : (hi - rank) * sorted[lo] + (rank - lo) * sorted[hi];
	}
	if (p >= 1) return sorted[n - 1];
	return sorted[Math.max(0, Math.ceil(p * n) - 1)];
}

function parseMethod(op: string, method: unknown): PercentileMethod {
	if (method === undefined || method === 'approximate') return 'approximate';
	if (method === 'discrete' || method === 'continuous') return method;
	throw new Error(
		`${op}: method must be 'approximate', 'discrete' or 'continuous', got ${JSON.stringify(method)}`
	);
}

function numericValues(values: unknown[]): number[] {
	// MongoDB ignores non-numeric inputs; NaN has no place in an order statistic either.
	return values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v)).sort((a, b) => a - b);
}

function parseSpec(op: string, expr: unknown): { input: unknown; method: PercentileMethod; p?: unknown } {
	if (expr === null || typeof expr !== 'object' || !('input' in expr)) {
		throw new Error(`${op} expects an object { input, ${op === '$percentile' ? 'p, ' : ''}method }`);
	}
	const spec = expr as { input: unknown; method?: unknown; p?: unknown };
	return { input: spec.input, method: parseMethod(op, spec.method), p: spec.p };
}

function evalPs(p: unknown, options: Options): number[] {
	const ps = evalExpr({}, p, options);
	if (!Array.isArray(ps) || ps.length === 0) throw new Error(`$percentile: 'p' must be a non-empty array`);
	for (const x of ps) {
		if (typeof x !== 'number' || !(x >= 0 && x <= 1)) {
			throw new Error(`$percentile: every 'p' must be a number in [0, 1], got ${JSON.stringify(x)}`);
		}
	}
	return ps as number[];
}

function groupValues(coll: AnyObject[], input: unknown, options: Options): unknown[] {
	// mingo's own $push evaluates with $$ROOT bound to each document.
	return accumulatorOperators.$push(coll, input, options);
}

const percentileAccumulator = (coll: AnyObject[], expr: unknown, options: Options): (number | null)[] => {
	const spec = parseSpec('$percentile', expr);
	const sorted = numericValues(groupValues(coll, spec.input, options));
	return evalPs(spec.p, options).map((p) => percentileOfSorted(sorted, p, spec.method));
};

const medianAccumulator = (coll: AnyObject[], expr: unknown, options: Options): number | null => {
	const spec = parseSpec('$median', expr);
	return percentileOfSorted(numericValues(groupValues(coll, spec.input, options)), 0.5, spec.method);
};

function expressionInput(op: string, obj: unknown, input: unknown, options: Options): unknown[] {
	const v = evalExpr(obj, input, options);
	// The expression form takes an array (or a single number, like MongoDB).
	if (Array.isArray(v)) return v;
	if (v === null || v === undefined) return [];
	if (typeof v === 'number') return [v];
	throw new Error(`${op}: input must resolve to an array of numbers`);
}

const percentileExpression = (obj: AnyObject, expr: unknown, options: Options): (number | null)[] => {
	const spec = parseSpec('$percentile', expr);
	const sorted = numericValues(expressionInput('$percentile', obj, spec.input, options));
	return evalPs(spec.p, options).map((p) => percentileOfSorted(sorted, p, spec.method));
};

const medianExpression = (obj: AnyObject, expr: unknown, options: Options): number | null => {
	const spec = parseSpec('$median', expr);
	return percentileOfSorted(
		numericValues(expressionInput('$median', obj, spec.input, options)),
		0.5,
		spec.method
	);
};

type ContextOps = NonNullable<Parameters<typeof Context.init>[0]>;

const CONTEXT = Context.init({
	accumulator: {
		...accumulatorOperators,
		$percentile: percentileAccumulator,
		$median: medianAccumulator
	} as ContextOps['accumulator'],
	expression: {
		...expressionOperators,
		$percentile: percentileExpression,
		$median: medianExpression
	} as ContextOps['expression'],
	pipeline: pipelineOperators as ContextOps['pipeline'],
	projection: projectionOperators as ContextOps['projection'],
	query: queryOperators as ContextOps['query'],
	window: windowOperators as ContextOps['window']
});

/**
 * Server-side JavaScript ($where, $function, $accumulator) is refused in callers' filters and
 * pipelines, as on a hardened mongod. mingo's `scriptEnabled: false` cannot be used: its own
 * $setWindowFields is built on $function.
 */
const SCRIPT_OPS = new Set(['$where', '$function', '$accumulator']);
const BASE: Partial<Options> = { context: CONTEXT };

export function refuseScripts(value: unknown, where: string): void {
	if (value === null || typeof value !== 'object' || value instanceof Date) return;
	if (Array.isArray(value)) {
		for (const v of value) refuseScripts(v, where);
		return;
	}
	for (const [k, v] of Object.entries(value)) {
		if (SCRIPT_OPS.has(k))
			throw new Error(`${k} is not allowed in ${where}: server-side JavaScript is disabled`);
		refuseScripts(v, where);
	}
}

export function compileFilter(filter: Record<string, unknown>): Query {
	refuseScripts(filter, 'a filter');
	return new Query(filter, BASE);
}

export function runPipeline(
	docs: AnyObject[],
	pipeline: AnyObject[],
	resolve: (name: string) => AnyObject[]
): AnyObject[] {
	refuseScripts(pipeline, 'a pipeline');
	const agg = new Aggregator(pipeline, {
		...BASE,
		// The caller passes private copies (cached documents must never be changed by a stage).
		processingMode: ProcessingMode.CLONE_OFF,
		collectionResolver: resolve
	});
	return agg.run(docs);
}

interface CursorOptions {
	sort?: Record<string, 1 | -1>;
	skip?: number;
	limit?: number;
	projection?: AnyObject;
}

/** Sort/skip/limit/project a set of documents (already filtered) like a MongoDB cursor. */
export function cursor(docs: AnyObject[], opts: CursorOptions): AnyObject[] {
	const c = new Query({}, BASE).find<AnyObject>(docs, opts.projection);
	if (opts.sort && Object.keys(opts.sort).length) c.sort(opts.sort);
	if (opts.skip) c.skip(opts.skip);
	if (opts.limit) c.limit(opts.limit);
	return c.all();
}

/**
 * Applies an update (operators or pipeline) to `doc` in place semantics: returns the new
 * document and whether anything changed. `filter` is the original filter so that positional
 * `$` paths resolve as in MongoDB.
 */
export function applyUpdate(
	doc: AnyObject,
	filter: Record<string, unknown>,
	update: AnyObject | AnyObject[],
	arrayFilters?: AnyObject[]
): { doc: AnyObject; modified: boolean } {
	refuseScripts(update, 'an update');
	const docs = [doc];
	const res = updateOne(
		docs,
		filter,
		update as Modifier<AnyObject> | PipelineStage[],
		{ cloneMode: 'deep', arrayFilters },
		BASE
	);
	return { doc: docs[0], modified: res.modifiedCount > 0 };
}
