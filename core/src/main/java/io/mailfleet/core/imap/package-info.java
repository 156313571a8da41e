/** Pure IMAP helpers: sequence sets and modified UTF-7 mailbox names. */
package io.mailfleet.core.imap;
