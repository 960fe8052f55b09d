#!/bin/sh
# First start of the compose database: an ordinary login role that owns the schema (row-level security applies
# to it), the NOLOGIN BYPASSRLS role it switches to for the few cross-tenant jobs, and the extensions search uses.
set -e
psql -v ON_ERROR_STOP=1 --username postgres <<SQL
CREATE ROLE switchboard LOGIN PASSWORD '${DB_PASSWORD}';
CREATE ROLE switchboard_system NOLOGIN BYPASSRLS;
GRANT switchboard_system TO switchboard;
CREATE DATABASE switchboard OWNER switchboard;
\connect switchboard
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;
SQL
