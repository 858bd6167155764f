import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

/**
 * Extensions the migrations create (pg_trgm, for search by a misspelt or partial name; unaccent, to find a
 * name with or without its accents): every PGlite Keel opens (the data folder, a backup, a restore) must load
 * them, or a database that uses them will not open.
 */
export const PGLITE_EXTENSIONS = { pg_trgm, unaccent };
