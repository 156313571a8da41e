package io.mailfleet.core.mailbox;

/** Where an appended message landed (UIDPLUS APPENDUID). */
public record AppendResult(long uidValidity, long uid) {
}
