package io.mailfleet.server.config;

/** Delivery handling of messages classified as spam. */
public record SpamSettings(boolean moveToJunk, boolean markAsRead, String subject) {
}
