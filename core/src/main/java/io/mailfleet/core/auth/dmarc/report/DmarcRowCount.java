package io.mailfleet.core.auth.dmarc.report;

/** A report row and how many messages it stands for. */
public record DmarcRowCount(DmarcRow row, long count) {
}
