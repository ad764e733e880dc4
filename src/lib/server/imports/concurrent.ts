/**
 * A commit that found the data changed under it (a row another writer updated or inserted since
 * the import read it): the transaction is abandoned and the import asks to be run again.
 */
export class ConcurrentChange extends Error {}

/** True for a concurrent change, a duplicate key another writer created meanwhile included. */
export function isConcurrentChange(e: unknown): boolean {
	return (
		e instanceof ConcurrentChange ||
		(typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000)
	);
}
