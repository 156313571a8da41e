/** DMARC aggregate reporting (RFC 7489 section 7.2): the recorded evaluations, their daily rows and the rua addresses. */
package io.mailfleet.core.auth.dmarc.report;
