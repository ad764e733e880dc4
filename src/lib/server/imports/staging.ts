/**
 * Staged changes of an import, on disk under os.tmpdir() (JSON lines), so a 200 MB file is
 * validated and scored with flat memory before anything is written to the database; the commit
 * then streams them back in batches inside one transaction.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export class StagingFile<T> {
	readonly path: string;
	private out: WriteStream | null;
	count = 0;

	constructor(importId: string) {
		this.path = join(tmpdir(), `techcap-import-${importId}.staging.jsonl`);
		this.out = createWriteStream(this.path, { flags: 'w' });
	}

	async push(item: T): Promise<void> {
		if (!this.out) throw new Error('staging file already closed');
		this.count++;
		// Respect back-pressure: a fast parser must not buffer the whole file in the stream.
		if (!this.out.write(JSON.stringify(item) + '\n'))
			await new Promise<void>((resolve) => this.out!.once('drain', resolve));
	}

	async close(): Promise<void> {
		const out = this.out;
		if (!out) return;
		this.out = null;
		await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
	}

	/** The staged items in order, `size` at a time. */
	async *batches(size: number): AsyncGenerator<T[]> {
		await this.close();
		const lines = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
		let batch: T[] = [];
		for await (const line of lines) {
			if (line === '') continue;
			batch.push(JSON.parse(line) as T);
			if (batch.length >= size) {
				yield batch;
				batch = [];
			}
		}
		if (batch.length) yield batch;
	}

	async remove(): Promise<void> {
		await this.close().catch(() => {});
		await rm(this.path, { force: true });
	}
}
