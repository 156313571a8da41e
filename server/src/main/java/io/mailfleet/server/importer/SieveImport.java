package io.mailfleet.server.importer;

import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.core.sieve.ParseException;
import io.mailfleet.core.sieve.SieveCompiler;
import io.mailfleet.core.sieve.SieveLimits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Sieve scripts of a Dovecot home as docker-mailserver's ManageSieve (Pigeonhole) leaves them:
 * {@code <home>/sieve/<name>.sieve}, and {@code <home>/.dovecot.sieve}, a symbolic link to the active
 * one (or, when docker-mailserver copied a user's {@code .dovecot.sieve} from its config directory, a
 * plain file, imported as the script {@code dovecot}). Each script is checked by the ManageSieve
 * compiler and stored under its name in the account's scripts; the same one is made active. A script
 * that does not compile or exceed the Sieve quota is reported and left out. Blocking.
 */
final class SieveImport {

    /** The script name a plain-file {@code .dovecot.sieve} is stored under. */
    static final String PLAIN_ACTIVE_NAME = "dovecot";

    private final SieveScriptStore scripts;
    private final SieveLimits limits;

    SieveImport(SieveScriptStore scripts, SieveLimits limits) {
        this.scripts = scripts;
        this.limits = limits;
    }

    /** What was imported: the script names stored and the active one (null for none). */
    record Outcome(List<String> stored, String active) {
    }

    /** Imports the scripts of {@code home} into {@code account}; problems go to {@code sink}. */
    Outcome run(String account, Path home, Path reportRoot, ImportSink sink) throws IOException {
        List<String> stored = new ArrayList<>();
        String active = null;
        Path dir = home.resolve("sieve");
        if (Files.isDirectory(dir)) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.sieve")) {
                s.forEach(files::add);
            }
            files.sort(null);
            for (Path f : files) {
                String name = f.getFileName().toString();
                name = name.substring(0, name.length() - ".sieve".length());
                if (store(account, name, f, reportRoot, sink)) {
                    stored.add(name);
                }
            }
        }
        Path link = home.resolve(".dovecot.sieve");
        String origin = reportRoot.relativize(link).toString();
        if (Files.isSymbolicLink(link)) {
            Path target = Files.readSymbolicLink(link);
            Path resolved = link.getParent().resolve(target).normalize();
            String file = target.getFileName().toString();
            String name = file.endsWith(".sieve") ? file.substring(0, file.length() - 6) : file;
            if (resolved.getParent() != null && resolved.getParent().equals(dir.normalize()) && stored.contains(name)) {
                active = name;
            } else {
                sink.note(origin, "points to " + target + ", which is not one of the imported scripts of "
                        + reportRoot.relativize(dir) + "; no script is made active");
            }
        } else if (Files.isRegularFile(link)) {
            if (store(account, PLAIN_ACTIVE_NAME, link, reportRoot, sink)) {
                stored.add(PLAIN_ACTIVE_NAME);
                active = PLAIN_ACTIVE_NAME;
            }
        }
        if (active != null) {
            await(scripts.setActive(account, active));
        }
        return new Outcome(stored, active);
    }

    private boolean store(String account, String name, Path file, Path reportRoot, ImportSink sink) {
        String origin = reportRoot.relativize(file).toString();
        try {
            if (Files.size(file) > limits.maxScriptSize()) {
                sink.skipped(origin, "Sieve script larger than " + limits.maxScriptSize() + " bytes");
                return false;
            }
            String source = Files.readString(file, StandardCharsets.UTF_8);
            SieveCompiler.compile(name, source, limits);
            await(scripts.put(account, name, source));
            return true;
        } catch (IOException e) {
            sink.skipped(origin, "unreadable Sieve script: " + e.getMessage());
        } catch (SieveScriptStore.Refused e) {
            sink.skipped(origin, "Sieve script refused (" + e.code() + "): " + e.getMessage());
        } catch (ParseException e) {
            sink.skipped(origin, "Sieve script does not compile: " + e.getMessage());
        }
        return false;
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the Sieve scripts service did not answer within 60 s", e);
        }
    }
}
