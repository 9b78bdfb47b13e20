-- Second-factor codes work once; sign-in attempts can be taken back one by one. PostgreSQL dialect.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
ALTER TABLE login_failures ADD COLUMN attempt_id TEXT;
