package io.mailfleet.protocols.smtp.check;

/**
 * Marks a check that runs on port 25 only (SPF, for instance): submission listeners leave it out, as
 * Postfix's master.cf overrides do for the submission services.
 */
public interface MxOnly {
}
