/**
 * Imports of mail from live servers: {@link io.mailfleet.cluster.imports.ImportProgressEntity} remembers, per
 * account, how far an IMAP import got in each remote folder, so a re-run goes on by UID from there.
 */
package io.mailfleet.cluster.imports;
