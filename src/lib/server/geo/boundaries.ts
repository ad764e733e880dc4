/**
 * The province's ward boundaries: administrators upload a GeoJSON/TopoJSON file, the domain reader
 * checks it and matches it to the register's wards, and a new version is stored and audited. The
 * gap map and the analyst's ward view read the newest version; without one they show tables only.
 */
import { C, type BoundaryDoc } from '../db/schema';
import type { Database } from '../db/types';
import { newId } from '../db/ids';
import { recordAudit } from '../audit';
import { listWards } from '../surveys';
import {
	MAX_BOUNDARY_BYTES,
	readBoundaryFile,
	tooLarge,
	type Bilingual,
	type RegisterWard
} from '$lib/domain/geo/boundaries';

export interface BoundaryActor {
	id: string;
	email: string;
	role: string;
}

export type BoundaryUpload =
	| {
			ok: true;
			id: string;
			version: number;
			matched: number;
			unmatched: BoundaryDoc['unmatched'];
			missing: string[];
	  }
	| { ok: false; status: 403 | 413 | 422; problems: Bilingual[] };

/** What the map needs: register ward id → geometry and name. */
export interface WardMap {
	version: number;
	uploadedAt: string;
	features: BoundaryDoc['boundaries'];
}

const boundaries = (db: Database) => db.collection<BoundaryDoc>(C.boundaries);

export async function saveBoundaries(
	db: Database,
	actor: BoundaryActor | null | undefined,
	file: { name: string; size: number; text: () => Promise<string> },
	wards: readonly RegisterWard[] = listWards()
): Promise<BoundaryUpload> {
	if (!actor || actor.role !== 'admin')
		return {
			ok: false,
			status: 403,
			problems: [
				{
					vi: 'Chỉ quản trị viên được tải lên ranh giới phường/xã.',
					en: 'Only administrators may upload ward boundaries.'
				}
			]
		};
	// Refused before it is read into memory.
	if (file.size > MAX_BOUNDARY_BYTES) {
		const r = tooLarge(file.size);
		return { ok: false, status: 413, problems: r.ok ? [] : r.problems };
	}
	const reading = readBoundaryFile(await file.text(), wards);
	if (!reading.ok) return { ok: false, status: 422, problems: reading.problems };
	const latest = await boundaries(db).findOne({}, { sort: { version: -1 } });
	const doc: BoundaryDoc = {
		_id: newId(),
		version: (latest?.version ?? 0) + 1,
		fileName: file.name.slice(0, 200),
		uploadedAt: new Date(),
		uploadedBy: actor.id,
		boundaries: reading.boundaries,
		unmatched: reading.unmatched.slice(0, 500),
		missing: reading.missing.map((w) => w.id)
	};
	await boundaries(db).insertOne(doc);
	await recordAudit(db, {
		actor,
		action: 'boundaries.upload',
		target: doc._id,
		after: {
			version: doc.version,
			fileName: doc.fileName,
			matched: doc.boundaries.length,
			unmatched: reading.unmatched.length,
			missing: doc.missing.length
		}
	});
	return {
		ok: true,
		id: doc._id,
		version: doc.version,
		matched: doc.boundaries.length,
		unmatched: doc.unmatched,
		missing: doc.missing
	};
}

/** The newest boundaries, or null when none were uploaded. */
export async function currentWardMap(db: Database): Promise<WardMap | null> {
	const doc = await boundaries(db).findOne({}, { sort: { version: -1 } });
	if (!doc) return null;
	return { version: doc.version, uploadedAt: doc.uploadedAt.toISOString(), features: doc.boundaries };
}

/** Versions for the admin page (without geometry). */
export async function boundaryVersions(db: Database) {
	const docs = await boundaries(db).find(
		{},
		{ sort: { version: -1 }, limit: 20, projection: { boundaries: 0 } }
	);
	return docs.map((d) => ({
		id: d._id,
		version: d.version,
		fileName: d.fileName,
		uploadedAt: d.uploadedAt.toISOString(),
		unmatched: d.unmatched,
		missing: d.missing
	}));
}
