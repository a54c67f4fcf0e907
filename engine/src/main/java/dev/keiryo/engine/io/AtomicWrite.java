package dev.keiryo.engine.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Writes a whole file so that readers see either the old file or the complete new one, never half
 * of it: a synced temporary file in the same folder, then a rename (replace) or a hard link (new
 * file only, so a file someone else created meanwhile is never lost).
 */
public final class AtomicWrite {
    private static final String TMP_SUFFIX = ".tmp";
    private static final long STALE_MILLIS = 60_000;

    private AtomicWrite() {}

    /**
     * Writes the file whole or not at all: a temporary file beside it, then a rename.
     *
     * @throws FileAlreadyExistsException when {@code replace} is false and the file exists
     */
    public static void write(Path target, byte[] bytes, boolean replace) throws IOException {
        write(target, bytes, replace, UnaryOperator.identity());
    }

    /**
     * As {@link #write(Path, byte[], boolean)}, with the bytes going through {@code through}'s
     * stream on their way to the disk: the seam through which tests make a write fail halfway.
     */
    public static void write(Path target, byte[] bytes, boolean replace, UnaryOperator<OutputStream> through)
            throws IOException {
        writeFile(target, replace, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = through.apply(Channels.newOutputStream(ch));
                out.write(bytes);
                out.flush();
            }
        });
    }

    /** Writes the content of a file, given its temporary path; for libraries that write to a path. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path tmp) throws IOException;
    }

    /** Writes the content of a file as a stream. */
    @FunctionalInterface
    public interface Stream {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * As {@link #write(Path, byte[], boolean)} for content that a library writes to a path of its
     * own (a model zip, a chart): the same temporary file, sync, rename and clean-up.
     */
    public static void writeFile(Path target, boolean replace, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        if (!replace && Files.exists(abs)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path dir = abs.getParent();
        Path tmp = temporary(abs);
        try {
            Files.createDirectories(dir);
            removeStale(abs);
            content.writeTo(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            if (replace) {
                moveReplacing(tmp, abs);
            } else {
                publishNew(tmp, abs);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** As {@link #writeFile(Path, boolean, Content)}, the content written to a stream. */
    public static void writeStream(Path target, boolean replace, Stream content) throws IOException {
        writeFile(target, replace, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                content.writeTo(out);
            }
        });
    }

    /**
     * A hidden name beside the target, unique per write, ending in ".tmp": two writers never share
     * one, and {@link #isTemporary} recognises what a killed writer left behind.
     */
    static Path temporary(Path abs) {
        // Not Files.createTempFile: it makes the file owner-only (0600) on POSIX systems.
        return abs.getParent().resolve("." + abs.getFileName() + "." + UUID.randomUUID() + TMP_SUFFIX);
    }

    /**
     * Deletes what killed writers of this same file left behind. A live writer keeps touching its
     * temporary file, so one untouched for a minute belongs to a process that is gone.
     */
    private static void removeStale(Path abs) {
        String prefix = "." + abs.getFileName() + ".";
        long cutoff = System.currentTimeMillis() - STALE_MILLIS;
        try (java.util.stream.Stream<Path> files = Files.list(abs.getParent())) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith(prefix)
                        && isTemporary(f)
                        && n.length() == prefix.length() + 36 + TMP_SUFFIX.length()
                        && Files.getLastModifiedTime(f).toMillis() < cutoff) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            // Leftovers only take space; the new file is written all the same.
        }
    }

    /** True for a temporary file of an unfinished write (its writer was killed), safe to delete. */
    public static boolean isTemporary(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(".") && n.endsWith(TMP_SUFFIX) && n.length() > 36 + TMP_SUFFIX.length();
    }

    private static void moveReplacing(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A rename would silently replace a file created since the check (POSIX rename does); a link fails. */
    private static void publishNew(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            // No hard links here (FAT, some network shares): a plain move still refuses an existing file.
            Files.move(tmp, target);
        }
    }

    /** Makes the rename itself durable; only possible on POSIX systems, so failures are ignored. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Windows cannot open a directory as a channel; NTFS journals the rename anyway.
        }
    }
}
