package io.mailfleet.server.config;

/** Bad configuration: the one-line message names the key, its source, the value and what is allowed. */
public final class ConfigError extends RuntimeException {

    public ConfigError(String message) {
        super(message);
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
