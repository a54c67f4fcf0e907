package dev.keiryo.engine.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small file system of its own for a test (a tmpfs), so that a full or read-only disk can be
 * made without touching the machine's; the test is skipped, with the reason, where mounting is not
 * allowed (not root, or a container without CAP_SYS_ADMIN).
 */
final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    static Tmpfs mount(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String out = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        Assumptions.assumeTrue(
                out == null, "cannot mount a tmpfs at " + dir + " (" + out + "): needs root or CAP_SYS_ADMIN");
        return new Tmpfs(dir);
    }

    Path dir() {
        return dir;
    }

    /** Makes the file system read-only, or skips the test with the reason it could not. */
    void readOnly() throws IOException, InterruptedException {
        String out = run("mount", "-o", "remount,ro", dir.toString());
        Assumptions.assumeTrue(out == null, "cannot remount " + dir + " read-only (" + out + ")");
    }

    /** Fills the disk until only {@code keep} bytes are free, with a file of zeros. */
    Path fillLeaving(long keep) throws IOException {
        Path ballast = dir.resolve("ballast");
        long fill = Files.getFileStore(dir).getUsableSpace() - keep;
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            for (long left = fill; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return ballast;
    }

    long free() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    @Override
    public void close() throws IOException {
        try {
            if (run("umount", dir.toString()) != null) {
                run("umount", "-l", dir.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + dir, e);
        }
    }

    /** Null when the command succeeded, else what it said. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : out.isEmpty() ? "exit " + p.exitValue() : out;
    }
}
