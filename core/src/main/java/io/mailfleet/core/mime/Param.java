package io.mailfleet.core.mime;

/** One MIME parameter: name (lower-cased) and value (unquoted, as written). */
public record Param(String name, String value) {
}
