-- Idempotency keys belong to whoever chose them. Until now `idempotency_keys` was one namespace for every
-- principal and for the keys the server makes itself (`token:revoke:<id>`, `programme:<sha256>`, …): anyone
-- could claim a server key first and block that operation, or replay another principal's stored response.
-- From here a key is stored per owner: `principal:<id>` for a client's key, `server` for a key the server made
-- (no client key can land there: a client key's owner always starts with `principal:`), and `legacy` for an
-- old row whose principal cannot be told.

ALTER TABLE idempotency_keys ADD COLUMN owner text;

-- Old rows the server made itself, recognised by the key it builds for each action. For import and
-- reference keys the action is one a client may also call, so a client key copying that shape before this
-- migration stays in the server namespace; it keeps doing what it did before, and no new one can be made.
UPDATE idempotency_keys SET owner = 'server'
WHERE (action = 'token.create' AND key LIKE 'token:%')
   OR (action = 'token.revoke' AND key LIKE 'token:revoke:%')
   OR (action = 'user.add' AND key LIKE 'user:add:%')
   OR (action = 'programme.load' AND key LIKE 'programme:%')
   OR (action = 'taxonomy.load' AND key LIKE 'taxonomy:%')
   OR (action = 'research.scenario.save' AND key LIKE 'scenario-file:%')
   OR key LIKE 'import:%'
   OR key LIKE 'reference:%';

-- Every other row goes to the principal its audit entry names (the write that claimed a key is audited with
-- that key in its details). A body jsonb cannot hold (an escaped NUL, a lone surrogate from a hostile
-- request) is passed by instead of failing the upgrade.
CREATE FUNCTION keel_0013_try_jsonb(body text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN body::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END;
$$;

UPDATE idempotency_keys AS k SET owner = 'principal:' || a.actor
FROM (
  SELECT DISTINCT ON (key) key, actor
  FROM (
    SELECT seq, doc -> 'details' ->> 'key' AS key, doc ->> 'actor' AS actor
    FROM (SELECT seq, keel_0013_try_jsonb(body) AS doc FROM audit_log WHERE body LIKE '%"key":%') AS parsed
  ) AS entries
  WHERE key IS NOT NULL AND actor IS NOT NULL
  ORDER BY key, seq
) AS a
WHERE k.owner IS NULL AND k.key = a.key;

DROP FUNCTION keel_0013_try_jsonb(text);

UPDATE idempotency_keys SET owner = 'legacy' WHERE owner IS NULL;

ALTER TABLE idempotency_keys ALTER COLUMN owner SET NOT NULL;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (owner, key);
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_owner_kind
  CHECK (owner IN ('server', 'legacy') OR owner LIKE 'principal:_%');
