/**
 * Where data lives and whose it is: the embedded or external PostgreSQL, and the tenant scope that
 * row-level security enforces on every connection.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Database", allowedDependencies = {})
package io.switchboard.database;
