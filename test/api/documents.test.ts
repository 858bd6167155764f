/**
 * /api/documents (issue 15): files on deals, companies and committee meetings, stored once per SHA-256,
 * versioned by title, private side only, downloads audited. Who may call each route, the size limit, a fake
 * PDF, replays, and the exact bytes coming back.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listDocumentsResponse, uploadDocumentResponse } from '../../src/api/responses/documents.ts';
import { createApiToken } from '../../src/app/auth.ts';
import { MAX_DOCUMENT_BYTES } from '../../src/domain/documents.ts';
import { ROLES } from '../../src/domain/roles.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture, multipartDocument, SENTINEL } from './helpers.ts';

const WRITERS = new Set(['admin', 'portfolio_manager', 'banker', 'investment_committee']);
const PUBLIC_SIDE = new Set(['research_analyst', 'council_member', 'crossed_analyst']);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describeOnBackends('documents API', (backend) => {
  let f: ApiFixture;
  let n = 0;
  const company = `${SENTINEL}-0-co`;
  const upload = (
    fields: Record<string, string>,
    file: { filename: string; content: Buffer; type?: string } | undefined,
    role: keyof ApiFixture['tokens'] = 'banker',
    key?: string,
  ) => {
    const body = multipartDocument(fields, file);
    return f.app.inject({
      method: 'POST',
      url: '/api/documents',
      headers: {
        authorization: `Bearer ${f.tokens[role]}`,
        'idempotency-key': key ?? `doc-${++n}`,
        ...body.headers,
      },
      payload: body.payload,
    });
  };
  const onCompany = (title = 'Term sheet') => ({ subjectKind: 'company', subjectId: company, title });
  const list = (role: keyof ApiFixture['tokens'], query = `subjectKind=company&subjectId=${company}`) =>
    f.app.inject({
      method: 'GET',
      url: `/api/documents?${query}`,
      headers: { authorization: `Bearer ${f.tokens[role]}` },
    });
  const download = (role: keyof ApiFixture['tokens'], id: string) =>
    f.app.inject({
      method: 'GET',
      url: `/api/documents/${id}/content`,
      headers: { authorization: `Bearer ${f.tokens[role]}` },
    });
  const counts = async () => {
    const db = f.keel.database.db;
    const [docs, contents, audit] = await Promise.all([
      db.selectFrom('documents').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('document_contents').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('audit_log').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { documents: Number(docs.n), contents: Number(contents.n), audit: Number(audit.n) };
  };

  beforeAll(async () => {
    f = await apiFixture(backend);
  }, 120_000);
  afterAll(() => f.close());

  it('stores a PDF once, versions it by title, and gives back the exact bytes, audited', async () => {
    const first = uploadDocumentResponse.parse(
      (await upload(onCompany(), { filename: 'term-sheet.pdf', content: PDF })).json(),
    );
    expect(first.result).toMatchObject({ version: 1, mediaType: 'application/pdf' });
    const sha = createHash('sha256').update(PDF).digest('hex');
    expect(first.result.sha256).toBe(sha);
    const before = await counts();
    // The same bytes again under the same title: version 2, but the content is not stored twice.
    const second = uploadDocumentResponse.parse(
      (await upload(onCompany(), { filename: 'term-sheet-v2.pdf', content: PDF })).json(),
    );
    expect(second.result.version).toBe(2);
    const after = await counts();
    expect(after.documents).toBe(before.documents + 1);
    expect(after.contents).toBe(before.contents);

    const items = listDocumentsResponse.parse((await list('auditor')).json()).items;
    expect(items.map((i) => [i.title, i.version, i.filename])).toEqual([
      ['Term sheet', 2, 'term-sheet-v2.pdf'],
      ['Term sheet', 1, 'term-sheet.pdf'],
    ]);
    expect(items[0]).toMatchObject({ sizeBytes: PDF.length, sha256: sha, uploadedBy: 'banker' });
    const activity = await f.app.inject({
      method: 'GET',
      url: `/api/companies/${company}/activity`,
      headers: { authorization: `Bearer ${f.tokens.auditor}` },
    });
    expect(activity.json().items.map((i: { summary: string }) => i.summary)).toContain(
      'attached "Term sheet" (term-sheet-v2.pdf)',
    );

    const auditBefore = (await counts()).audit;
    const res = await download('sector_specialist', first.result.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect(createHash('sha256').update(res.rawPayload).digest('hex')).toBe(sha);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename="term-sheet.pdf"/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/sandbox/);
    expect((await counts()).audit).toBe(auditBefore + 1);
    const row = await f.keel.database.db
      .selectFrom('audit_log')
      .select('body')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.body)).toMatchObject({
      actor: 'sector-specialist',
      action: 'document.download',
      subject: `document:${first.result.id}`,
      details: { sha256: sha, version: 1 },
    });
  });

  it('makes two uploads of a new title at once versions 1 and 2', async () => {
    const file = { filename: 'race.pdf', content: PDF };
    const answers = await Promise.all([upload(onCompany('Race'), file), upload(onCompany('Race'), file)]);
    const versions = answers.map((a) => uploadDocumentResponse.parse(a.json()).result.version);
    expect(versions.sort()).toEqual([1, 2]);
  });

  it('sends text, CSV and Office files as attachments', async () => {
    const csv = Buffer.from('year,amount\n2026,100\n');
    const up = uploadDocumentResponse.parse(
      (await upload(onCompany('Model'), { filename: 'model.csv', content: csv, type: 'text/csv' })).json(),
    );
    const res = await download('banker', up.result.id);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    expect(res.body).toBe(csv.toString());
    const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(30, 1)]);
    expect((await upload(onCompany('Memo'), { filename: 'memo.docx', content: docx })).statusCode).toBe(200);
  });

  it('attaches to a deal and to a committee meeting', async () => {
    const deal = await upload(
      { subjectKind: 'deal', subjectId: f.sentinelDeal, title: 'Diligence report' },
      { filename: 'dd.pdf', content: PDF },
    );
    expect(deal.statusCode, deal.body).toBe(200);
    const agenda = await f.app.inject({
      method: 'POST',
      url: '/api/committee/agenda',
      headers: { authorization: `Bearer ${f.tokens.portfolio_manager}`, 'idempotency-key': 'doc-agenda' },
      payload: { dealIds: [f.sentinelDeal], meetingOn: '2026-12-15', source: 'manual' },
    });
    expect(agenda.statusCode, agenda.body).toBe(200);
    const memo = await upload(
      { subjectKind: 'committee_meeting', subjectId: '2026-12-15', title: 'Committee memo' },
      { filename: 'memo.pdf', content: PDF },
      'investment_committee',
    );
    expect(memo.statusCode, memo.body).toBe(200);
    const items = listDocumentsResponse.parse(
      (await list('investment_committee', 'subjectKind=committee_meeting&subjectId=2026-12-15')).json(),
    ).items;
    expect(items.map((i) => i.title)).toEqual(['Committee memo']);
    const none = await upload(
      { subjectKind: 'committee_meeting', subjectId: '2026-12-16', title: 'Committee memo' },
      { filename: 'memo.pdf', content: PDF },
    );
    expect(none.statusCode).toBe(404);
  });

  it('lets the writers upload and the private side read; the public side neither', async () => {
    const deal = `subjectKind=deal&subjectId=${f.sentinelDeal}`;
    const dealDoc = listDocumentsResponse.parse((await list('banker', deal)).json()).items[0]!;
    const companyDoc = listDocumentsResponse.parse((await list('banker')).json()).items[0]!;
    for (const role of [...ROLES, 'crossed_analyst'] as const) {
      const written = await upload(onCompany(`By ${role}`), { filename: 'x.pdf', content: PDF }, role);
      expect(written.statusCode, `${role}: ${written.body}`).toBe(WRITERS.has(role) ? 200 : 403);
      const read = await list(role);
      expect(read.statusCode, `${role}: ${read.body}`).toBe(PUBLIC_SIDE.has(role) ? 403 : 200);
      const got = await download(role, companyDoc.id);
      expect(got.statusCode, `${role}: ${got.body.slice(0, 200)}`).toBe(PUBLIC_SIDE.has(role) ? 403 : 200);
      if (PUBLIC_SIDE.has(role)) {
        expect(read.body + got.body).not.toContain(SENTINEL);
        expect(got.body).not.toContain('%PDF');
      }
      // A wall-crossing opens its deal's documents, and no other deal's, company's or meeting's.
      const dealRead = await list(role, deal);
      const dealGot = await download(role, dealDoc.id);
      const mayReadDeal = !PUBLIC_SIDE.has(role) || role === 'crossed_analyst';
      expect(dealRead.statusCode, `${role} deal list`).toBe(mayReadDeal ? 200 : 403);
      expect(dealGot.statusCode, `${role} deal download`).toBe(mayReadDeal ? 200 : 403);
    }
    // A public-side caller learns nothing about whether a document id exists.
    expect((await download('council_member', '999999')).statusCode).toBe(403);
    expect((await download('research_analyst', '999999')).statusCode).toBe(403);
  });

  it('refuses a read-scoped token', async () => {
    const token = await createApiToken(
      f.keel,
      { id: 'banker', role: 'banker' },
      { name: 'ro', scope: 'read' },
    );
    const body = multipartDocument(onCompany('Read token'), { filename: 'x.pdf', content: PDF });
    const before = await counts();
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/documents',
      headers: { authorization: `Bearer ${token.token}`, 'idempotency-key': 'ro-doc', ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('refuses a file over the limit and writes nothing', async () => {
    const before = await counts();
    const big = Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 0x20);
    PDF.copy(big);
    const res = await upload(onCompany('Too big'), { filename: 'big.pdf', content: big });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(413);
    expect(res.json().message).toMatch(/larger than the 20 MiB/);
    expect(await counts()).toEqual(before);
  }, 60_000);

  it('refuses a fake PDF, markup, unknown types and absurd fields, with a message', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const cases: Array<
      [Record<string, string>, { filename: string; content: Buffer } | undefined, number, RegExp]
    > = [
      [onCompany(), { filename: 'fake.pdf', content: html }, 400, /not a PDF/],
      [onCompany(), { filename: 'page.html', content: html }, 400, /not a file type Keel keeps/],
      [onCompany(), { filename: 'logo.svg', content: Buffer.from('<svg/>') }, 400, /not a file type/],
      [onCompany(), { filename: 'notes.txt', content: html }, 400, /not plain UTF-8 text/],
      [onCompany(), { filename: 'bin.txt', content: Buffer.from([0, 1, 2]) }, 400, /not plain/],
      [onCompany(), { filename: 'fake.xlsx', content: PDF }, 400, /not an Office file/],
      [onCompany(), { filename: 'empty.pdf', content: Buffer.alloc(0) }, 400, /empty/],
      [onCompany(), undefined, 400, /no file/],
      [{ subjectKind: 'company', subjectId: company }, { filename: 'a.pdf', content: PDF }, 400, /title/],
      [onCompany('   '), { filename: 'a.pdf', content: PDF }, 400, /title/],
      [onCompany('x'.repeat(201)), { filename: 'a.pdf', content: PDF }, 400, /title/],
      [
        { subjectKind: 'scenario', subjectId: company, title: 'T' },
        { filename: 'a.pdf', content: PDF },
        400,
        /subjectKind/,
      ],
      [
        { subjectKind: 'company', subjectId: 'Not A Slug', title: 'T' },
        { filename: 'a.pdf', content: PDF },
        400,
        /subjectId/,
      ],
      [
        { subjectKind: 'committee_meeting', subjectId: 'tomorrow', title: 'T' },
        { filename: 'a.pdf', content: PDF },
        400,
        /subjectId/,
      ],
      [
        { subjectKind: 'company', subjectId: 'no-such-co', title: 'T' },
        { filename: 'a.pdf', content: PDF },
        404,
        /no company/,
      ],
      [
        { subjectKind: 'deal', subjectId: company, title: 'T' },
        { filename: 'a.pdf', content: PDF },
        404,
        /no deal/,
      ],
    ];
    const before = await counts();
    for (const [fields, file, status, message] of cases) {
      const res = await upload(fields, file);
      const what = `${JSON.stringify(fields).slice(0, 80)} ${file?.filename}`;
      expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBe(status);
      expect(res.json().message, what).toMatch(message);
    }
    expect(await counts()).toEqual(before);
    const json = await f.app.inject({
      method: 'POST',
      url: '/api/documents',
      headers: { authorization: `Bearer ${f.tokens.banker}`, 'idempotency-key': 'doc-json' },
      payload: onCompany(),
    });
    expect(json.statusCode).toBe(400);
    expect((await list('banker', 'subjectKind=company')).statusCode).toBe(400);
    expect((await download('banker', 'abc')).statusCode).toBe(400);
    expect((await download('banker', '999999')).statusCode).toBe(404);
  });

  it('answers a replay with the stored result and attaches the version once', async () => {
    const file = { filename: 'replay.pdf', content: PDF };
    const first = uploadDocumentResponse.parse(
      (await upload(onCompany('Replay'), file, 'banker', 'r')).json(),
    );
    const again = uploadDocumentResponse.parse(
      (await upload(onCompany('Replay'), file, 'banker', 'r')).json(),
    );
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ ...first, replayed: true });
    const items = listDocumentsResponse.parse((await list('banker')).json()).items;
    expect(items.filter((i) => i.title === 'Replay')).toHaveLength(1);
    // The same key with another file is another request: refused, not replayed.
    const other = await upload(
      onCompany('Replay'),
      { filename: 'other.txt', content: Buffer.from('hi') },
      'banker',
      'r',
    );
    expect(other.statusCode).toBe(409);
  });
});
