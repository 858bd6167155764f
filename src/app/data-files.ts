/** Where Keel's shipped reference data lives (data/ at the repository root) and how it is read. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data');
export const REFERENCE_PROGRAMME = join(DATA_DIR, 'programme', 'sri-reference.json');
export const REFERENCE_TAXONOMY = join(DATA_DIR, 'taxonomy', 'sri-taxonomy.json');
export const REFERENCE_DEALS = join(DATA_DIR, 'reference', 'public-deals.json');
export const COMMON_PASSWORDS = join(DATA_DIR, 'security', 'common-passwords.txt');
export const COMMON_PASSWORD_STEMS = join(DATA_DIR, 'security', 'common-password-stems.txt');

export const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
