/** Quota warning mails: what they say and how they are queued to the account. */
package io.mailfleet.server.quota;
