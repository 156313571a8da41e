package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.blob.StoredBlob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 blob store against a real S3 server (s3proxy, in-memory backend) over HTTP with SigV4: what
 * only this store has (several nodes on one bucket, SigV4, settings, listing pages, foreign keys);
 * what every store promises is in {@link BlobStoreContract} ({@link S3BlobStoreContractTest}).
 */
class S3BlobStoreTest {

    private static final String ACCESS = S3TestServer.ACCESS;
    private static final String SECRET = S3TestServer.SECRET;
    private static S3TestServer server;
    private static URI endpoint;

    @TempDir
    Path spool;

    private final List<S3BlobStore> stores = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.start();
        endpoint = server.endpoint();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(S3BlobStore::close);
    }

    private S3BlobStore store(String bucket, String secret) throws IOException {
        S3BlobStore s = new S3BlobStore(new S3Settings(endpoint, bucket, "us-east-1", ACCESS, secret, true), spool);
        stores.add(s);
        return s;
    }

    private S3BlobStore store(String bucket, int listPageSize) throws IOException {
        S3BlobStore s = new S3BlobStore(new S3Settings(endpoint, bucket, "us-east-1", ACCESS, SECRET, true), spool,
                Clock.systemUTC(), listPageSize);
        stores.add(s);
        return s;
    }

    private static Map<String, StoredBlob> list(S3BlobStore store, Instant before) throws IOException {
        Map<String, StoredBlob> seen = new HashMap<>();
        store.list(before, b -> assertNull(seen.put(b.ref().id(), b), "listed twice: " + b.ref().id()));
        return seen;
    }

    private static BlobRef put(S3BlobStore store, byte[] bytes, int chunk) throws Exception {
        try (BlobWriter w = store.create()) {
            for (int i = 0; i < bytes.length; i += chunk) {
                w.write(bytes, i, Math.min(chunk, bytes.length - i));
            }
            assertEquals(bytes.length, w.size());
            return w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void smallAndSpooledBlobsRoundTripAcrossStores() throws Exception {
        S3BlobStore a = store("mailfleet-blobs", SECRET);
        S3BlobStore b = store("mailfleet-blobs", SECRET);
        byte[] small = "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] big = new byte[S3BlobStore.MEMORY_SPOOL_BYTES * 3 + 17];
        new Random(7).nextBytes(big);

        BlobRef rs = put(a, small, 5);
        BlobRef rb = put(a, big, 64 * 1024);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big)), rb.sha256());
        assertArrayEquals(small, readAll(b.open(rs)), "another node reads the blob");
        assertArrayEquals(big, readAll(b.open(rb)));
        byte[] range = readAll(b.openRange(rb, 1_000_000, 70_000));
        assertArrayEquals(java.util.Arrays.copyOfRange(big, 1_000_000, 1_070_000), range);
        assertEquals(0, readAll(b.openRange(rs, 3, 0)).length);
        try (var files = Files.list(spool)) {
            assertEquals(0, files.count(), "spool files are removed after the upload");
        }
    }

    @Test
    void wrongCredentialsGiveAClearError() {
        IOException e = assertThrows(IOException.class, () -> store("mailfleet-auth", "not-the-secret"));
        assertTrue(e.getMessage().contains("403") && e.getMessage().contains(endpoint.toString()), e.getMessage());
    }

    @Test
    void signatureMatchesTheAwsDocumentationExample() {
        // "GET Object" example of the AWS Signature V4 for S3 documentation
        Map<String, String> h = SigV4.sign("GET", URI.create("https://examplebucket.s3.amazonaws.com/test.txt"),
                Map.of("range", "bytes=0-9"), SigV4.EMPTY_SHA256, "us-east-1", "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ZonedDateTime.parse("2013-05-24T00:00:00Z"));
        assertEquals("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", h.get("Authorization"));
    }

    @Test
    void badSettingsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new S3Settings(URI.create("ftp://x"), "b-1", "r", "a", "s", true));
        assertTrue(e.getMessage().contains("http://"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new S3Settings(endpoint, "Bad_Bucket", "r", "a", "s", true));
        assertTrue(e.getMessage().contains("bucket"), e.getMessage());
    }

    @Test
    void listingFollowsContinuationTokensAndDeleteAcceptsListedRefs() throws Exception {
        S3BlobStore s = store("mailfleet-list", 2);
        Instant beforeWrites = Instant.now();
        Map<String, BlobRef> refs = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            BlobRef r = put(s, ("blob " + i).repeat(i + 1).getBytes(StandardCharsets.US_ASCII), 100);
            refs.put(r.id(), r);
        }
        byte[] other = "not written by the store".getBytes(StandardCharsets.US_ASCII);
        s.put("notes/not-a-blob", other.length, SigV4.hex(SigV4.sha256(other)), other, null)
                .get(30, TimeUnit.SECONDS);

        Map<String, StoredBlob> listed = list(s, Instant.now().plusSeconds(3600));
        assertEquals(refs.keySet(), listed.keySet(), "three pages of two keys, the foreign key skipped");
        for (StoredBlob b : listed.values()) {
            assertEquals(refs.get(b.ref().id()).size(), b.ref().size());
            assertNull(b.ref().sha256());
            assertFalse(b.created().isBefore(beforeWrites), b.created() + " is before the write at " + beforeWrites);
        }
        StoredBlob one = listed.values().iterator().next();
        assertFalse(list(s, one.created()).containsKey(one.ref().id()));
        assertTrue(list(s, one.created().plusMillis(1)).containsKey(one.ref().id()));

        for (StoredBlob b : listed.values()) {
            s.delete(b.ref());
        }
        for (BlobRef r : refs.values()) {
            assertFalse(s.exists(r));
        }
        assertEquals(Map.of(), list(s, Instant.now().plusSeconds(3600)));
        assertTrue(server.backend().blobExists("mailfleet-list", "notes/not-a-blob"));
    }

    @Test
    void listsABucketOfManyBlobs() throws Exception {
        S3BlobStore s = store("mailfleet-many", 128);
        Set<String> ids = new HashSet<>();
        for (int round = 0; round < 6; round++) {
            List<CompletableFuture<BlobRef>> commits = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                BlobWriter w = s.create();
                byte[] b = ("message " + round + "/" + i).getBytes(StandardCharsets.US_ASCII);
                w.write(b, 0, b.length);
                commits.add(w.commit().toCompletableFuture());
            }
            for (CompletableFuture<BlobRef> c : commits) {
                ids.add(c.get(30, TimeUnit.SECONDS).id());
            }
        }
        assertEquals(300, ids.size());
        assertEquals(ids, list(s, Instant.now().plusSeconds(3600)).keySet());
    }

    @Test
    void aFailedListingNamesTheBucketAndTheServersAnswer() throws Exception {
        S3BlobStore s = store("mailfleet-vanishing", 10);
        assertTrue(server.backend().deleteContainerIfEmpty("mailfleet-vanishing"));
        IOException e = assertThrows(IOException.class, () -> s.list(Instant.now(), b -> { }));
        assertTrue(e.getMessage().contains("mailfleet-vanishing") && e.getMessage().contains("404")
                && e.getMessage().contains(endpoint.toString()), e.getMessage());
    }

    @Test
    void aListingPageThatIsNotAListingIsAnError() {
        IOException e = assertThrows(IOException.class, () -> S3ListPage.parse(
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><ListBucketResult>&e;</ListBucketResult>"
                        .getBytes(StandardCharsets.UTF_8), "bucket b"));
        assertTrue(e.getMessage().contains("bucket b"), e.getMessage());
        e = assertThrows(IOException.class, () -> S3ListPage.parse(
                "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>".getBytes(StandardCharsets.UTF_8), "bucket b"));
        assertTrue(e.getMessage().contains("continuation token"), e.getMessage());
        e = assertThrows(IOException.class, () -> S3ListPage.parse(
                "<ListBucketResult><Contents><Key>k</Key><Size>x</Size><LastModified>2020-01-01T00:00:00.000Z</LastModified></Contents></ListBucketResult>"
                        .getBytes(StandardCharsets.UTF_8), "bucket b"));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void listRequestSignatureMatchesTheAwsDocumentationExample() {
        // "GET Bucket (List Objects)" example of the AWS Signature V4 for S3 documentation
        Map<String, String> h = SigV4.sign("GET", URI.create("https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J"),
                Map.of(), SigV4.EMPTY_SHA256, "us-east-1", "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ZonedDateTime.parse("2013-05-24T00:00:00Z"));
        assertEquals("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                + "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7", h.get("Authorization"));
    }
}
