package io.mailfleet.server.config;

import com.typesafe.config.Config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The result of {@link MailfleetConfig#load}: the merged, resolved configuration to start the
 * ActorSystem with, the typed settings, the file used (if any) and warnings to log at start-up.
 */
public record LoadedConfig(Config config, Settings settings, Optional<Path> configFile, List<String> warnings) {

    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }
}
