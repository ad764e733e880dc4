/**
 * A small, safe formula language for rubric criteria. Parsed once and compiled into closures;
 * never `eval`/`Function`, so a rubric uploaded by an administrator cannot run code.
 *
 *   {question}  {matrix.row}  numbers  'text'  true false
 *   + - * /   = == != <> < <= > >=   and or not   ( )
 *   min(a, b, ...)  max(a, b, ...)  iif(cond, then, else)  count({checkbox})
 *   contains({checkbox}, 'value')  ref('reference_key')
 *
 * Evaluation: `iif`, `and` and `or` are lazy, so an answer hidden by `visibleIf` on a branch that is
 * not taken is never read. Reading an unanswered question marks the evaluation as missing.
 * Division by zero gives 0 (documented in docs/methodology.md).
 */

export type FormulaNode =
	| { t: 'num'; v: number }
	| { t: 'str'; v: string }
	| { t: 'bool'; v: boolean }
	| { t: 'var'; name: string; key: string; row: string | null }
	| { t: 'call'; fn: string; args: FormulaNode[]; pos: number }
	| { t: 'bin'; op: string; l: FormulaNode; r: FormulaNode }
	| { t: 'not'; x: FormulaNode }
	| { t: 'neg'; x: FormulaNode };

export class FormulaError extends Error {
	/** 1-based column in the formula text. */
	constructor(
		message: string,
		readonly column: number
	) {
		super(`${message} at column ${column}`);
		this.name = 'FormulaError';
	}
}

export const FORMULA_FUNCTIONS: Readonly<Record<string, [number, number]>> = {
	min: [1, 99],
	max: [1, 99],
	iif: [3, 3],
	count: [1, 1],
	contains: [2, 2],
	ref: [1, 1]
};

interface Token {
	k: 'num' | 'str' | 'var' | 'id' | 'op' | 'end';
	v: string;
	pos: number;
}

function tokenize(src: string): Token[] {
	const out: Token[] = [];
	let i = 0;
	while (i < src.length) {
		const c = src[i];
		if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
			i++;
		} else if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
			const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i));
			const text = m ? m[0] : c;
			out.push({ k: 'num', v: text, pos: i + 1 });
			i += text.length;
		} else if (c === "'" || c === '"') {
			const end = src.indexOf(c, i + 1);
			if (end < 0) throw new FormulaError('unterminated string', i + 1);
			out.push({ k: 'str', v: src.slice(i + 1, end), pos: i + 1 });
			i = end + 1;
		} else if (c === '{') {
			const end = src.indexOf('}', i + 1);
			if (end < 0) throw new FormulaError("missing '}'", i + 1);
			const name = src.slice(i + 1, end).trim();
			if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)?$/.test(name))
				throw new FormulaError(`bad question reference '{${name}}'`, i + 1);
			out.push({ k: 'var', v: name, pos: i + 1 });
			i = end + 1;
		} else if (/[A-Za-z_]/.test(c)) {
			const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
			const text = m ? m[0] : c;
			out.push({ k: 'id', v: text, pos: i + 1 });
			i += text.length;
		} else {
			const two = src.slice(i, i + 2);
			if (['==', '!=', '<>', '<=', '>='].includes(two)) {
				out.push({ k: 'op', v: two, pos: i + 1 });
				i += 2;
			} else if ('+-*/()<>=,'.includes(c)) {
				out.push({ k: 'op', v: c, pos: i + 1 });
				i++;
			} else {
				throw new FormulaError(`unexpected character '${c}'`, i + 1);
			}
		}
	}
	out.push({ k: 'end', v: '', pos: src.length + 1 });
	return out;
}

/** Parses a formula; throws FormulaError with the column of the first problem. */
export function parseFormula(src: string): FormulaNode {
	const toks = tokenize(src);
	let p = 0;
	const peek = () => toks[p];
	const isOp = (v: string) => peek().k === 'op' && peek().v === v;
	const isWord = (v: string) => peek().k === 'id' && peek().v.toLowerCase() === v;
	const expect = (v: string) => {
		if (!isOp(v)) throw new FormulaError(`expected '${v}'`, peek().pos);
		p++;
	};
	const describe = (t: Token) => (t.k === 'end' ? 'end of formula' : `'${t.v}'`);

	function orExpr(): FormulaNode {
		let l = andExpr();
		while (isWord('or')) {
			p++;
			l = { t: 'bin', op: 'or', l, r: andExpr() };
		}
		return l;
	}
	function andExpr(): FormulaNode {
		let l = notExpr();
		while (isWord('and')) {
			p++;
			l = { t: 'bin', op: 'and', l, r: notExpr() };
		}
		return l;
	}
	function notExpr(): FormulaNode {
		if (isWord('not')) {
			p++;
			return { t: 'not', x: notExpr() };
		}
		return cmpExpr();
	}
	function cmpExpr(): FormulaNode {
		const l = addExpr();
		const t = peek();
		if (t.k === 'op' && ['=', '==', '!=', '<>', '<', '<=', '>', '>='].includes(t.v)) {
			p++;
			const op = t.v === '=' ? '==' : t.v === '<>' ? '!=' : t.v;
			return { t: 'bin', op, l, r: addExpr() };
		}
		return l;
	}
	function addExpr(): FormulaNode {
		let l = mulExpr();
		while (isOp('+') || isOp('-')) {
			const op = toks[p++].v;
			l = { t: 'bin', op, l, r: mulExpr() };
		}
		return l;
	}
	function mulExpr(): FormulaNode {
		let l = unary();
		while (isOp('*') || isOp('/')) {
			const op = toks[p++].v;
			l = { t: 'bin', op, l, r: unary() };
		}
		return l;
	}
	function unary(): FormulaNode {
		if (isOp('-')) {
			p++;
			return { t: 'neg', x: unary() };
		}
		return primary();
	}
	function primary(): FormulaNode {
		const t = peek();
		if (t.k === 'num') {
			p++;
			const v = Number(t.v);
			if (!Number.isFinite(v)) throw new FormulaError(`bad number '${t.v}'`, t.pos);
			return { t: 'num', v };
		}
		if (t.k === 'str') {
			p++;
			return { t: 'str', v: t.v };
		}
		if (t.k === 'var') {
			p++;
			const dot = t.v.indexOf('.');
			return dot < 0
				? { t: 'var', name: t.v, key: t.v, row: null }
				: { t: 'var', name: t.v, key: t.v.slice(0, dot), row: t.v.slice(dot + 1) };
		}
		if (t.k === 'id') {
			const word = t.v.toLowerCase();
			if (word === 'true' || word === 'false') {
				p++;
				return { t: 'bool', v: word === 'true' };
			}
			const arity = FORMULA_FUNCTIONS[word];
			if (!arity) throw new FormulaError(`unknown function '${t.v}'`, t.pos);
			p++;
			expect('(');
			const args: FormulaNode[] = [];
			if (!isOp(')')) {
				args.push(orExpr());
				while (isOp(',')) {
					p++;
					args.push(orExpr());
				}
			}
			expect(')');
			if (args.length < arity[0] || args.length > arity[1])
				throw new FormulaError(
					`${word}() takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} or more`} argument(s), got ${args.length}`,
					t.pos
				);
			if (word === 'ref' && args[0].t !== 'str')
				throw new FormulaError(
					"ref() needs a quoted reference key, e.g. ref('energy_cost_share_pct')",
					t.pos
				);
			return { t: 'call', fn: word, args, pos: t.pos };
		}
		if (isOp('(')) {
			p++;
			const e = orExpr();
			expect(')');
			return e;
		}
		throw new FormulaError(`unexpected ${describe(t)}`, t.pos);
	}

	const ast = orExpr();
	if (peek().k !== 'end') throw new FormulaError(`unexpected ${describe(peek())}`, peek().pos);
	return ast;
}

/** Question references (`name` or `name.row`) in the order they appear, without duplicates. */
export function formulaVariables(ast: FormulaNode): string[] {
	const out: string[] = [];
	walk(ast, (n) => {
		if (n.t === 'var' && !out.includes(n.name)) out.push(n.name);
	});
	return out;
}

/** Reference-value keys used through ref('...'). */
export function formulaReferences(ast: FormulaNode): string[] {
	const out: string[] = [];
	walk(ast, (n) => {
		if (n.t === 'call' && n.fn === 'ref' && n.args[0].t === 'str' && !out.includes(n.args[0].v))
			out.push(n.args[0].v);
	});
	return out;
}

function walk(n: FormulaNode, f: (n: FormulaNode) => void): void {
	f(n);
	if (n.t === 'call') n.args.forEach((a) => walk(a, f));
	else if (n.t === 'bin') {
		walk(n.l, f);
		walk(n.r, f);
	} else if (n.t === 'not' || n.t === 'neg') walk(n.x, f);
}

export type FormulaValue = number | string | boolean | readonly unknown[] | null;

/** Mutable per-evaluation state: set when an unanswered question is read. */
export interface EvalState {
	missing: boolean;
}

export type CompiledFormula = (answers: Readonly<Record<string, unknown>>, st: EvalState) => FormulaValue;

/** An answer counts as missing when absent, null, '', an empty list or a non-finite number. */
export function isMissingAnswer(v: unknown): boolean {
	return (
		v === undefined ||
		v === null ||
		v === '' ||
		(typeof v === 'number' && !Number.isFinite(v)) ||
		(Array.isArray(v) && v.length === 0)
	);
}

/** Plain decimal notation only: no hex/binary/octal prefixes, no "Infinity". */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Finite numbers, decimal strings (CSV imports) and booleans (1/0) are numeric; anything else,
 * including Infinity, "0x64", "0b11", "0o7" and "Infinity", is NaN (an unusable answer).
 */
export function toNumber(v: unknown): number {
	if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
	if (typeof v === 'boolean') return v ? 1 : 0;
	if (typeof v === 'string') {
		const s = v.trim();
		if (!DECIMAL.test(s)) return NaN;
		const x = Number(s);
		return Number.isFinite(x) ? x : NaN;
	}
	return NaN;
}

function truthy(v: FormulaValue): boolean {
	if (Array.isArray(v)) return v.length > 0;
	if (typeof v === 'string') return v !== '' && v !== 'false' && v !== 'no';
	return Boolean(v);
}

function equals(a: FormulaValue, b: FormulaValue): boolean {
	if (a === null || b === null) return a === b;
	const x = toNumber(a);
	const y = toNumber(b);
	if (!Number.isNaN(x) && !Number.isNaN(y)) return x === y;
	return String(a) === String(b);
}

/** Compiles a parsed formula into closures. `refs` supplies the values behind ref('key'). */
export function compileFormula(ast: FormulaNode, refs: Readonly<Record<string, number>>): CompiledFormula {
	switch (ast.t) {
		case 'num':
		case 'str':
		case 'bool': {
			const v = ast.v;
			return () => v;
		}
		case 'var': {
			const { key, row } = ast;
			if (row === null)
				return (a, st) => {
					const v = a[key];
					if (isMissingAnswer(v)) {
						st.missing = true;
						return null;
					}
					return v as FormulaValue;
				};
			return (a, st) => {
				const o = a[key];
				const v = o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[row] : undefined;
				if (isMissingAnswer(v)) {
					st.missing = true;
					return null;
				}
				return v as FormulaValue;
			};
		}
		case 'neg': {
			const x = compileFormula(ast.x, refs);
			return (a, st) => -toNumber(x(a, st));
		}
		case 'not': {
			const x = compileFormula(ast.x, refs);
			return (a, st) => !truthy(x(a, st));
		}
		case 'bin':
			return compileBinary(ast.op, compileFormula(ast.l, refs), compileFormula(ast.r, refs));
		case 'call':
			return compileCall(ast, refs);
	}
}

function compileBinary(op: string, l: CompiledFormula, r: CompiledFormula): CompiledFormula {
	switch (op) {
		case '+':
			return (a, st) => toNumber(l(a, st)) + toNumber(r(a, st));
		case '-':
			return (a, st) => toNumber(l(a, st)) - toNumber(r(a, st));
		case '*':
			return (a, st) => toNumber(l(a, st)) * toNumber(r(a, st));
		case '/':
			return (a, st) => {
				const x = toNumber(l(a, st));
				const y = toNumber(r(a, st));
				return y === 0 ? 0 : x / y;
			};
		case '<':
			return (a, st) => toNumber(l(a, st)) < toNumber(r(a, st));
		case '<=':
			return (a, st) => toNumber(l(a, st)) <= toNumber(r(a, st));
		case '>':
			return (a, st) => toNumber(l(a, st)) > toNumber(r(a, st));
		case '>=':
			return (a, st) => toNumber(l(a, st)) >= toNumber(r(a, st));
		case '==':
			return (a, st) => equals(l(a, st), r(a, st));
		case '!=':
			return (a, st) => !equals(l(a, st), r(a, st));
		case 'and':
			return (a, st) => truthy(l(a, st)) && truthy(r(a, st));
		case 'or':
			return (a, st) => truthy(l(a, st)) || truthy(r(a, st));
		default:
			throw new Error(`unknown operator ${op}`);
	}
}

function compileCall(
	ast: Extract<FormulaNode, { t: 'call' }>,
	refs: Readonly<Record<string, number>>
): CompiledFormula {
	if (ast.fn === 'ref') {
		const key = (ast.args[0] as { v: string }).v;
		const v = refs[key];
		if (typeof v !== 'number') throw new Error(`reference value '${key}' is not defined`);
		return () => v;
	}
	const args = ast.args.map((x) => compileFormula(x, refs));
	switch (ast.fn) {
		case 'min':
			return (a, st) => {
				let m = Infinity;
				for (const f of args) m = Math.min(m, toNumber(f(a, st)));
				return m;
			};
		case 'max':
			return (a, st) => {
				let m = -Infinity;
				for (const f of args) m = Math.max(m, toNumber(f(a, st)));
				return m;
			};
		case 'iif': {
			const [c, t, e] = args;
			return (a, st) => (truthy(c(a, st)) ? t(a, st) : e(a, st));
		}
		case 'count': {
			const [x] = args;
			return (a, st) => {
				const v = x(a, st);
				return Array.isArray(v) ? v.length : v === null ? 0 : 1;
			};
		}
		case 'contains': {
			const [x, y] = args;
			return (a, st) => {
				const v = x(a, st);
				const w = y(a, st);
				return Array.isArray(v) ? v.some((e) => equals(e as FormulaValue, w)) : equals(v, w);
			};
		}
		default:
			throw new Error(`unknown function ${ast.fn}`);
	}
}
