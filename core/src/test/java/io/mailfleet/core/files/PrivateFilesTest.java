package io.mailfleet.core.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Modes of what {@link PrivateFiles} creates, whatever the test JVM's umask (usually 022). */
class PrivateFilesTest {

    @TempDir
    Path tmp;

    @Test
    void everyWayOfCreatingGivesOwnerOnlyModes() throws Exception {
        Path dir = PrivateFiles.createDirectories(tmp.resolve("a/b/c"));
        assertEquals("rwx------", mode(tmp.resolve("a")));
        assertEquals("rwx------", mode(dir));

        PrivateFiles.writeAtomically(dir.resolve("key.pem"), "secret");
        PrivateFiles.writeNew(dir.resolve("token"), "t");
        PrivateFiles.append(dir.resolve("table"), "line\n");
        PrivateFiles.append(dir.resolve("table"), "line2\n");
        PrivateFiles.write(dir.resolve("idx"), "index");
        PrivateFiles.copy(new ByteArrayInputStream(new byte[] {1, 2}), dir.resolve("copy"));
        try (FileChannel ch = PrivateFiles.open(dir.resolve("seg"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {3}));
        }
        for (String f : List.of("key.pem", "token", "table", "idx", "copy", "seg")) {
            assertEquals("rw-------", mode(dir.resolve(f)), f);
        }
        assertEquals("line\nline2\n", Files.readString(dir.resolve("table")));
        assertEquals("secret", Files.readString(dir.resolve("key.pem")));
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file left");
        }
    }

    @Test
    void tightenTreeRemovesGroupAndOthersKeepsOwnerBitsAndLeavesLinksAlone() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tool = Files.writeString(root.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fine = Files.writeString(root.resolve("fine"), "x");
        Files.setPosixFilePermissions(fine, PosixFilePermissions.fromString("rw-------"));
        Path outside = Files.writeString(tmp.resolve("outside"), "y");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(root.resolve("link"), outside);

        List<PrivateFiles.Opened> opened = PrivateFiles.tightenTree(root);

        assertEquals(List.of(new PrivateFiles.Opened(root, "rwxr-xr-x"), new PrivateFiles.Opened(tool, "rwxr-xr-x")),
                opened.stream().sorted(java.util.Comparator.comparing(o -> o.path().toString())).toList());
        assertEquals("rwx------", mode(root));
        assertEquals("rwx------", mode(tool));
        assertEquals("rw-------", mode(fine));
        assertEquals("rw-r--r--", mode(outside), "a link's target outside the tree is not changed");
        assertFalse(PrivateFiles.isOpen(root));
        assertEquals(List.of(), PrivateFiles.tightenTree(root));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
