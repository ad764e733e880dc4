/**
 * The survey registry: shipped versions in `surveys/` (files.ts) and versions stored in the
 * database by admins (stored.ts), behind one `<sector>/<version>` id.
 */
export * from './files';
export * from './stored';
