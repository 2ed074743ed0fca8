/** The SQL pgAudit needs in each database, which no Terraform provider for AWS can run: what the terminal tells a DBA to run. */
export const PGAUDIT_EXTENSION_SQL = 'CREATE EXTENSION IF NOT EXISTS pgaudit;';
