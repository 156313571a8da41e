package io.mailfleet.core.dsn;

/** RFC 3461 NOTIFY keywords. */
public enum DsnNotify { NEVER, SUCCESS, DELAY, FAILURE }
