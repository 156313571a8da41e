/** ManageSieve (RFC 5804) on port 4190: upload, check, activate and manage Sieve scripts. */
package io.mailfleet.protocols.managesieve;
