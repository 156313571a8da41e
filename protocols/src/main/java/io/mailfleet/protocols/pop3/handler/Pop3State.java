package io.mailfleet.protocols.pop3.handler;

/** The RFC 1939 states of a POP3 session. */
public enum Pop3State { AUTHORIZATION, TRANSACTION, UPDATE }
