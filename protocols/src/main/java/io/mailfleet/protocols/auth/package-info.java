/** What every protocol's login shares: the failure limit per connection, the failure delay and the ban check. */
package io.mailfleet.protocols.auth;
