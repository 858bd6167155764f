-- The audit log viewer filters on the fields of each row's canonical JSON body; without these a filter
-- parses every row of a log that only grows. Action and subject are searched by prefix (LIKE 'x%').
CREATE INDEX audit_log_actor ON audit_log ((body::jsonb ->> 'actor'), seq);
CREATE INDEX audit_log_action ON audit_log ((body::jsonb ->> 'action') text_pattern_ops);
CREATE INDEX audit_log_subject ON audit_log ((body::jsonb ->> 'subject') text_pattern_ops);
CREATE INDEX audit_log_at ON audit_log ((body::jsonb ->> 'at'));
