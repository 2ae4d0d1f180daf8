-- TAMBO Desktop on a PostgreSQL server: the database and its two roles, with least privilege.
--
--   the owner role  (e.g. tambo_owner): owns the database and its tables; runs the schema migrations
--                   (tambo-cli migrate-to / check with --db postgresql://tambo_owner@…).
--   the app role    (e.g. tambo_app): what every PC of the tambo signs in as. Not a superuser, cannot
--                   create roles or databases, and may only SELECT and INSERT into the audit trail
--                   (never UPDATE, DELETE or TRUNCATE it).
--
-- Run by installer/postgres/setup-server.sh as the server's superuser, in two steps:
--   step=create   roles and database (once)
--   step=grant    privileges on the tables the migrations made (after migrate-to, and after each upgrade)
-- Variables (psql -v): step, db, owner, app, owner_password, app_password.
\set ON_ERROR_STOP on

SELECT :'step' = 'create' AS creating \gset
\if :creating
  SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD %L',
                :'owner', :'owner_password')
   WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
  SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD %L',
                :'app', :'app_password')
   WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
  SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8'' TEMPLATE template0', :'db', :'owner')
   WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
  \connect :"db"
  REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
  GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
  REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  ALTER SCHEMA public OWNER TO :"owner";
  GRANT USAGE ON SCHEMA public TO :"app";
\else
  \connect :"db"
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
  -- the audit trail only grows
  REVOKE UPDATE, DELETE, TRUNCATE ON TABLE audit_entry FROM :"app";
  -- the schema is the owner's: the application never changes it
  REVOKE UPDATE, DELETE, TRUNCATE ON TABLE schema_version FROM :"app";
\endif
