package io.mailfleet.persistence.serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Golden-bytes check for tests: proves that bytes stored by an earlier version still deserialize to
 * an equal object. The first run records the file under {@code src/test/resources/<resource>} (commit
 * it); later runs verify against it. Bytes are not compared directly because hash-ordered
 * collections ({@code Set.of}, {@code Map.of}) iterate in a per-JVM order.
 *
 * <p>System properties: {@code mailfleet.golden.dir} (default {@code src/test/resources}) and
 * {@code mailfleet.golden.strict=true}, which makes a missing file a failure instead of recording it.
 */
public final class GoldenBytes {

    /** What a check did. */
    public enum Outcome { VERIFIED, RECORDED }

    private static volatile KryoCodec defaultCodec;

    private GoldenBytes() {
    }

    /** Checks with a codec built from {@code ConfigFactory.load()}. */
    public static Outcome verify(Object expected, String resource) {
        KryoCodec codec = defaultCodec;
        if (codec == null) {
            codec = KryoCodec.fromDefaultConfig();
            defaultCodec = codec;
        }
        return verify(codec, expected, resource);
    }

    public static Outcome verify(KryoCodec codec, Object expected, String resource) {
        return verify(codec, expected, resource, Path.of(System.getProperty("mailfleet.golden.dir", "src/test/resources")));
    }

    /** Checks against {@code directory/resource}, falling back to the class path, recording when absent. */
    public static Outcome verify(KryoCodec codec, Object expected, String resource, Path directory) {
        Objects.requireNonNull(expected, "expected");
        Path file = directory.resolve(resource);
        Outcome outcome = Outcome.VERIFIED;
        String text;
        try {
            if (Files.isRegularFile(file)) {
                text = Files.readString(file, StandardCharsets.US_ASCII);
            } else {
                text = readResource(resource);
                if (text == null) {
                    if (Boolean.getBoolean("mailfleet.golden.strict")) {
                        throw new AssertionError("golden bytes " + resource + " are missing (strict mode)");
                    }
                    text = render(expected, codec.toBinary(expected));
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    Files.writeString(file, text, StandardCharsets.US_ASCII);
                    outcome = Outcome.RECORDED;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot access golden bytes " + file + ": " + e.getMessage(), e);
        }
        Object actual;
        try {
            actual = codec.fromBinary(parse(text, resource));
        } catch (RuntimeException e) {
            throw new AssertionError("golden bytes " + resource + " no longer deserialize: " + e.getMessage(), e);
        }
        if (!Objects.deepEquals(expected, actual)) {
            throw new AssertionError("golden bytes " + resource + " deserialize to <" + actual + "> (" + className(actual)
                    + ") but <" + expected + "> (" + className(expected) + ") was expected");
        }
        return outcome;
    }

    private static String readResource(String resource) throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String render(Object value, byte[] bytes) {
        String base64 = Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes);
        return "# Kryo golden bytes of " + value.getClass().getName() + ". Never edit: a failing check means\n"
                + "# data written by earlier versions no longer loads.\n" + base64 + "\n";
    }

    private static byte[] parse(String text, String resource) {
        String base64 = text.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.joining());
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("golden bytes " + resource + " are not valid base64: " + e.getMessage(), e);
        }
    }

    private static String className(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }
}
