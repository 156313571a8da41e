package io.mailfleet.core.mailbox;

/** STORE FLAGS, +FLAGS, -FLAGS. */
public enum FlagOperation { REPLACE, ADD, REMOVE }
