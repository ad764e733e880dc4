/**
 * Staged changes of an import, on disk under os.tmpdir(), so a 200 MB file is validated and
 * scored with flat memory before anything is written to the database; the commit then streams
 * them back in batches inside one transaction.
 *
 * Format: frames of [uint32 length][v8-serialized array of items]. Serializing a few hundred items
 * at once, instead of one JSON line each read back through readline, keeps the staging round trip
 * a small part of an import and leaves far less garbage.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

/** Items per frame: large enough to amortise a write, small enough to keep memory flat. */
const FRAME_ITEMS = 200;

export class StagingFile<T> {
	readonly path: string;
	private out: Promise<FileHandle> | null;
	private pending: T[] = [];
	count = 0;

	constructor(importId: string) {
		this.path = join(tmpdir(), `techcap-import-${importId}.staging.bin`);
		this.out = open(this.path, 'w');
		// An import that stages nothing never awaits the handle: keep an open failure from going unhandled.
		this.out.catch(() => {});
	}

	async push(item: T): Promise<void> {
		if (!this.out) throw new Error('staging file already closed');
		this.count++;
		this.pending.push(item);
		if (this.pending.length >= FRAME_ITEMS) await this.flush();
	}

	private async flush(): Promise<void> {
		if (!this.out || this.pending.length === 0) return;
		const body = serialize(this.pending);
		this.pending = [];
		const head = Buffer.allocUnsafe(4);
		head.writeUInt32LE(body.length, 0);
		const fh = await this.out;
		await fh.writev([head, body]);
	}

	async close(): Promise<void> {
		const out = this.out;
		if (!out) return;
		await this.flush();
		this.out = null;
		await (await out).close();
	}

	/** The staged items in order, `size` at a time. */
	async *batches(size: number): AsyncGenerator<T[]> {
		await this.close();
		const fh = await open(this.path, 'r');
		try {
			const head = Buffer.alloc(4);
			let pos = 0;
			let batch: T[] = [];
			for (;;) {
				const { bytesRead } = await fh.read(head, 0, 4, pos);
				if (bytesRead === 0) break;
				if (bytesRead !== 4) throw new Error(`staging file ${this.path} is truncated at byte ${pos}`);
				const length = head.readUInt32LE(0);
				const body = Buffer.allocUnsafe(length);
				const got = await fh.read(body, 0, length, pos + 4);
				if (got.bytesRead !== length)
					throw new Error(`staging file ${this.path} is truncated at byte ${pos}`);
				pos += 4 + length;
				for (const item of deserialize(body) as T[]) {
					batch.push(item);
					if (batch.length >= size) {
						yield batch;
						batch = [];
					}
				}
			}
			if (batch.length) yield batch;
		} finally {
			await fh.close();
		}
	}

	async remove(): Promise<void> {
		await this.close().catch(() => {});
		await rm(this.path, { force: true });
	}
}
