package io.mailfleet.cluster.delivery.sieve;

import io.mailfleet.cluster.queue.SieveSettings;
import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.core.sieve.CompiledScript;
import io.mailfleet.core.sieve.ParseException;
import io.mailfleet.core.sieve.ScriptResolver;
import io.mailfleet.core.sieve.SieveCompiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The script chain of one account in docker-mailserver order: {@code before.dovecot.sieve}, the
 * SPAM_SUBJECT rewrite, the user's active script (ManageSieve, else {@code <address>.dovecot.sieve}),
 * {@code after.dovecot.sieve}, then the spam-to-Junk / mark-as-read rule. Compiled scripts are cached
 * by content hash; a script that does not compile is skipped with a logged reason, so it never costs mail.
 * The chain's files are read on the blocking executor it is given; {@link #resolver} blocks (it serves
 * {@code include} from inside a run, which itself runs there).
 */
final class SieveChainLoader {
    private static final Logger LOG = LoggerFactory.getLogger(SieveChainLoader.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(20);
    private static final int CACHE_LIMIT = 4096;
    static final String SPAM_TEST = "anyof (header :contains \"X-Spam-Flag\" \"YES\",\n"
            + "          header :contains \"X-Spam\" \"Yes\")";

    private final SieveSettings settings;
    private final SieveScriptStore store;
    private final Duration storeTimeout;
    private final Map<String, CompiledScript> cache = new ConcurrentHashMap<>();
    private final CompiledScript spamSubject;
    private final CompiledScript spamAfter;

    SieveChainLoader(SieveSettings settings, SieveScriptStore store) {
        this(settings, store, STORE_TIMEOUT);
    }

    /** @param storeTimeout how long the script store may take to answer (the active script, an included one) */
    SieveChainLoader(SieveSettings settings, SieveScriptStore store, Duration storeTimeout) {
        this.settings = settings;
        this.store = store;
        this.storeTimeout = storeTimeout;
        this.spamSubject = settings.spamSubject().isEmpty() ? null
                : generated("spam_subject", spamSubjectScript(settings.spamSubject()));
        this.spamAfter = settings.moveToJunk() || settings.markAsRead()
                ? generated("spam_to_junk", spamAfterScript(settings.moveToJunk(), settings.markAsRead())) : null;
    }

    /** DMS's before-script for SPAM_SUBJECT (editheader), the value escaped for a Sieve string. */
    static String spamSubjectScript(String prefix) {
        String quoted = prefix.replace("\\", "\\\\").replace("\"", "\\\"");
        return "require [\"editheader\",\"variables\"];\n"
                + "if " + SPAM_TEST + " {\n"
                + "    if header :matches \"Subject\" \"*\" {\n"
                + "        set \"subject\" \"${1}\";\n"
                + "    }\n"
                + "    deleteheader \"Subject\";\n"
                + "    addheader :last \"Subject\" \"" + quoted + "${subject}\";\n"
                + "}\n";
    }

    /**
     * DMS's after-scripts for MOVE_SPAM_TO_JUNK and MARK_SPAM_AS_READ as one script, so the \Seen flag
     * travels with the message into Junk (separate scripts would each have their own flag variable).
     */
    static String spamAfterScript(boolean junk, boolean read) {
        StringBuilder s = new StringBuilder("require [\"fileinto\",\"special-use\",\"imap4flags\"];\n");
        s.append("if ").append(SPAM_TEST).append(" {\n");
        if (read) {
            s.append("    addflag \"\\\\Seen\";\n");
        }
        if (junk) {
            s.append("    fileinto :specialuse \"\\\\Junk\" \"Junk\";\n");
        }
        return s.append("}\n").toString();
    }

    private CompiledScript generated(String name, String source) {
        try {
            return SieveCompiler.compile(name, source, settings.limits());
        } catch (ParseException e) {
            throw new IllegalArgumentException("generated Sieve script " + name + " does not compile: "
                    + e.getMessage() + "\n" + source, e);
        }
    }

    /**
     * The chain for {@code account} handed to {@code then}; fails (so delivery is retried) only when the
     * script store does not answer. No thread waits for the store: its answer is awaited as a stage, then
     * the scripts' files are read and compiled and {@code then} runs, in one task on {@code blocking} (a
     * continuation chained to a returned chain could run on whichever thread registered it).
     */
    <T> CompletionStage<T> withChain(String account, Executor blocking, Function<List<CompiledScript>, T> then) {
        String key = account.toLowerCase(Locale.ROOT);
        return activeScript(key).thenApplyAsync(active -> then.apply(assemble(key, active)), blocking);
    }

    private List<CompiledScript> assemble(String account, Optional<SieveScriptStore.Script> active) {
        List<CompiledScript> out = new ArrayList<>();
        dmsFile("before.dovecot.sieve").ifPresent(out::add);
        if (spamSubject != null) {
            out.add(spamSubject);
        }
        Optional<CompiledScript> user = active.isPresent()
                ? compile(account + "/" + active.get().name(), active.get().source())
                : dmsFile(account + ".dovecot.sieve");
        user.ifPresent(out::add);
        dmsFile("after.dovecot.sieve").ifPresent(out::add);
        if (spamAfter != null) {
            out.add(spamAfter);
        }
        return out;
    }

    private CompletionStage<Optional<SieveScriptStore.Script>> activeScript(String account) {
        if (store == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<SieveScriptStore.Script>> answer;
        try {
            answer = store.activeScript(account).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // a copy: the store's own future is not completed by this time-out
        return answer.copy().orTimeout(storeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(new IllegalStateException(
                        "Sieve script store did not answer for " + account + ": " + rootCause(e), e)));
    }

    private static Throwable rootCause(Throwable e) {
        Throwable c = e;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** include (RFC 6609): personal scripts from the store, global ones from the DMS config directory. */
    ScriptResolver resolver(String account) {
        return (location, name) -> {
            if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                return Optional.empty();
            }
            if (location == ScriptResolver.Location.PERSONAL) {
                if (store == null) {
                    return Optional.empty();
                }
                Optional<String> src;
                try {
                    src = store.get(account.toLowerCase(Locale.ROOT), name).toCompletableFuture()
                            .get(storeTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("Sieve script store did not answer: " + e, e);
                }
                return src.isEmpty() ? Optional.empty() : Optional.of(compileOrThrow(account + "/" + name, src.get()));
            }
            Optional<String> src = read(name + ".sieve");
            return src.isEmpty() ? Optional.empty() : Optional.of(compileOrThrow("global/" + name, src.get()));
        };
    }

    private Optional<CompiledScript> dmsFile(String file) {
        return read(file).flatMap(src -> compile(file, src));
    }

    private Optional<String> read(String file) {
        if (settings.dmsConfigDir() == null) {
            return Optional.empty();
        }
        Path p = settings.dmsConfigDir().resolve(file);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            LOG.warn("sieve: cannot read {} ({}); script skipped", p, e.toString());
            return Optional.empty();
        }
    }

    private Optional<CompiledScript> compile(String name, String source) {
        try {
            return Optional.of(compileOrThrow(name, source));
        } catch (ParseException e) {
            LOG.warn("sieve: script {} does not compile, skipped (mail is kept): {}", name, e.getMessage());
            return Optional.empty();
        }
    }

    private CompiledScript compileOrThrow(String name, String source) throws ParseException {
        String key = name + "\0" + sha256(source);
        CompiledScript known = cache.get(key);
        if (known != null) {
            return known;
        }
        CompiledScript c = SieveCompiler.compile(name, source, settings.limits());
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(key, c);
        return c;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
