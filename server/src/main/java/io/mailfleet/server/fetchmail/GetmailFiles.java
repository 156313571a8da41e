package io.mailfleet.server.fetchmail;

import io.mailfleet.core.fetchmail.FetchmailConfig;
import io.mailfleet.core.fetchmail.GetmailConfigParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * docker-mailserver's {@code getmail-*.cf} files of a directory, read in name order and merged into one
 * {@link FetchmailConfig}: each file gives its source(s) or its problem, never stops the others.
 */
final class GetmailFiles {

    private GetmailFiles() {
    }

    static FetchmailConfig read(Optional<Path> dir) {
        if (dir.isEmpty()) {
            return new FetchmailConfig(List.of(), List.of(
                    "ENABLE_GETMAIL is on but there is no directory of getmail-*.cf files: set DMS_CONFIG_DIR or mailfleet.getmail.dir"),
                    List.of());
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir.get())) {
            files = list.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("getmail-") && n.endsWith(".cf") && Files.isRegularFile(p);
            }).sorted().toList();
        } catch (NoSuchFileException e) {
            return new FetchmailConfig(List.of(), List.of(dir.get() + ": no such directory, no getmail source"), List.of());
        } catch (IOException | UncheckedIOException e) {
            return new FetchmailConfig(List.of(), List.of(dir.get() + ": cannot be listed: " + e.getMessage()), List.of());
        }
        List<io.mailfleet.core.fetchmail.FetchmailSource> sources = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (files.isEmpty()) {
            notes.add(dir.get() + ": ENABLE_GETMAIL is on but there is no getmail-*.cf file");
        }
        for (Path f : files) {
            FetchmailConfig c;
            try {
                c = GetmailConfigParser.parse(f.toString(), f.getFileName().toString(),
                        Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException | UncheckedIOException e) {
                c = new FetchmailConfig(List.of(), List.of(f + ": cannot be read: " + e.getMessage()), List.of());
            }
            sources.addAll(c.sources());
            problems.addAll(c.problems());
            notes.addAll(c.notes());
        }
        return new FetchmailConfig(sources, problems, notes);
    }
}
