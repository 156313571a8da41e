/** The built-in spam scorer: symbols with weights computed from a message's header and streamed content, Rspamd style. */
package io.mailfleet.core.spam;
