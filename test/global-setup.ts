export default function setup() {
  if (!process.env.DATABASE_URL) {
    process.stdout.write(
      '\nDATABASE_URL is not set: the PostgreSQL half of the integration tests is SKIPPED (PGlite half runs).\n' +
        'Run `bash .ci/run` or set DATABASE_URL=postgres://... to run both.\n\n',
    );
  }
}
